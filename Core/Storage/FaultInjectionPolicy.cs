using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Spark.Serverless.Storage;

/// <summary>
/// A chaos switch for tests and soaks: fails a share of storage requests before they are sent, half as
/// <c>503 Server Busy</c> and half as a timeout (an <see cref="IOException"/>). It sits inside the SDK's retry loop,
/// so each failed try is retried like a real one.
/// </summary>
internal sealed class FaultInjectionPolicy(double rate, int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Inject(message)) return;
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        Inject(message) ? ValueTask.CompletedTask : ProcessNextAsync(message, pipeline);

    private bool Inject(HttpMessage message)
    {
        double roll;
        lock (_random) roll = _random.NextDouble();
        if (roll >= rate) return false;
        if (roll < rate / 2) throw new IOException("Injected fault: the storage request timed out.");
        message.Response = new ServerBusyResponse(message.Request.ClientRequestId);
        return true;
    }

    /// <summary>A 503 as the storage service sends it when throttling.</summary>
    private sealed class ServerBusyResponse(string clientRequestId) : Response
    {
        // The real transport marks error responses; the SDK's retry policy only retries what is marked.
        public override bool IsError => true;

        public override int Status => 503;

        public override string ReasonPhrase => "Server Busy (injected fault)";

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = name.Equals("x-ms-error-code", StringComparison.OrdinalIgnoreCase) ? "ServerBusy" : null;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = TryGetHeader(name, out var value) ? [value] : null;
            return values is not null;
        }

        protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [new HttpHeader("x-ms-error-code", "ServerBusy")];
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spark.Serverless.Functions;

/// <summary>
/// What the Azure Functions host posts to a custom handler for a non-HTTP trigger: <c>Data</c> holds the trigger's
/// and input bindings' values by binding name, <c>Metadata</c> the trigger's metadata (for a queue trigger:
/// <c>DequeueCount</c>, <c>Id</c>, <c>PopReceipt</c>, <c>InsertionTime</c>…).
/// </summary>
public sealed record InvocationRequest
{
    /// <summary>Binding values by binding name.</summary>
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    /// <summary>Trigger metadata by name.</summary>
    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>Reads a request body.</summary>
    /// <exception cref="InvocationException">The body is not an invocation payload.</exception>
    public static InvocationRequest Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<InvocationRequest>(body, Options) ?? throw new InvocationException("The invocation payload is empty (null).");
        }
        catch (JsonException e)
        {
            throw new InvocationException($"The invocation payload is not JSON of the form {{\"Data\": {{...}}, \"Metadata\": {{...}}}}: {e.Message}");
        }
    }

    /// <summary>Reads a request body and returns the named binding's text.</summary>
    /// <exception cref="InvocationException">The body is not an invocation payload, or it lacks the binding.</exception>
    public static async Task<(InvocationRequest Request, string Text)> ReadAsync(Stream body, string binding, CancellationToken cancellationToken)
    {
        var request = Parse((await BinaryData.FromStreamAsync(body, cancellationToken).ConfigureAwait(false)).ToMemory().Span);
        return (request, request.Text(binding));
    }

    /// <summary>
    /// A binding's value as text. The host passes a queue message as a JSON string holding the message's text; an
    /// object is taken as the message itself.
    /// </summary>
    /// <exception cref="InvocationException">The binding is missing.</exception>
    public string Text(string binding)
    {
        if (!Data.TryGetValue(binding, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            throw new InvocationException($"The invocation has no '{binding}' in Data (found: {string.Join(", ", Data.Keys.DefaultIfEmpty("nothing"))}); check the binding name in function.json.");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    /// <summary>A numeric metadata value (the host sends some as numbers and some as strings), or null when absent.</summary>
    public long? Number(string name)
    {
        if (!Metadata.TryGetValue(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out long n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) => n,
            _ => null,
        };
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>What a custom handler answers the Functions host: output binding values, log lines, and a return value.</summary>
/// <param name="Outputs">Output binding values by binding name (a queue output takes the message text).</param>
/// <param name="Logs">Lines the host writes to its own log for this invocation.</param>
/// <param name="ReturnValue">The <c>$return</c> binding's value, if the function has one.</param>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue = null)
{
    /// <summary>An answer with only log lines.</summary>
    public static InvocationResponse LogOnly(params string[] logs) => new(new Dictionary<string, object?>(), logs);
}

/// <summary>An invocation payload the handler cannot use; answered 400 with the message.</summary>
/// <param name="message">What is wrong, naming the field.</param>
public sealed class InvocationException(string message) : Exception(message);

/// <summary>How a process learns that the Functions host runs it as a custom handler.</summary>
public static class CustomHandler
{
    /// <summary>The environment variable in which the host passes the port to listen on.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The port to listen on, or null when not run by a Functions host.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not a port number.</exception>
    public static int? Port()
    {
        string? text = Environment.GetEnvironmentVariable(PortVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{PortVariable} is '{text}'; expected a port number.");
    }

    /// <summary>The URL to listen on: loopback, where only the host reaches it.</summary>
    public static string Url(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Cli;

/// <summary>The driver's HTTP API as the CLI uses it; every failure becomes a <see cref="CliException"/> with one readable line.</summary>
public sealed class DriverClient(Uri baseUri) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>Submits a JSON spec; returns the new job's id.</summary>
    public async Task<string> SubmitAsync(byte[] spec, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(spec);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var body = await SendAsync(() => _http.PostAsync("api/jobs", content, cancellationToken), cancellationToken).ConfigureAwait(false);
        return body["id"]!.GetValue<string>();
    }

    /// <summary>A job's status document.</summary>
    public Task<JsonNode> GetStatusAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(() => _http.GetAsync($"api/jobs/{Uri.EscapeDataString(jobId)}", cancellationToken), cancellationToken);

    /// <summary>A completed job's result document.</summary>
    public Task<JsonNode> GetResultAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(() => _http.GetAsync($"api/jobs/{Uri.EscapeDataString(jobId)}/result", cancellationToken), cancellationToken);

    private async Task<JsonNode> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the driver at {_http.BaseAddress}: {e.Message}", CliException.Unreachable);
        }
        using (response)
        {
            JsonNode? body = null;
            try
            {
                body = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // Not JSON: the status code alone must speak.
            }
            if (response.IsSuccessStatusCode && body is not null) return body;
            string message = body?["error"]?.GetValue<string>() ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
            int code = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Conflict
                ? CliException.BadInput : CliException.Unreachable;
            throw new CliException(message, code);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

using System.Net;
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

    /// <summary>Submits a compiled application: the assembly, its dependencies, the job class and settings.</summary>
    public async Task<string> SubmitAssemblyAsync(FileInfo assembly, IReadOnlyList<FileInfo> dependencies, string? className, string? name, string? settings, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(assembly.FullName, cancellationToken).ConfigureAwait(false)), "assembly", assembly.Name);
        foreach (var dependency in dependencies)
            form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(dependency.FullName, cancellationToken).ConfigureAwait(false)), "dependency", dependency.Name);
        if (className is not null) form.Add(new StringContent(className), "class");
        if (name is not null) form.Add(new StringContent(name), "name");
        if (settings is not null) form.Add(new StringContent(settings), "settings");
        var body = await SendAsync(() => _http.PostAsync("api/jobs", form, cancellationToken), cancellationToken).ConfigureAwait(false);
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
                // Parsed case-sensitively (unlike ReadFromJsonAsync's web defaults): result keys may differ only in case.
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
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

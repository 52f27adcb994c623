using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Cli;

/// <summary>The driver's HTTP API as the CLI uses it; every failure becomes a <see cref="CliException"/> with one readable line.</summary>
public sealed class DriverClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client for the driver at <paramref name="baseUri"/>, sending <paramref name="key"/> when given.</summary>
    public DriverClient(Uri baseUri, string? key = null)
    {
        _http = new HttpClient { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(key)) _http.DefaultRequestHeaders.Add("x-functions-key", key);
    }

    /// <summary>Submits a JSON spec; returns the new job's id.</summary>
    public async Task<string> SubmitAsync(byte[] spec, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(spec);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
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
        GetAsync($"api/jobs/{Uri.EscapeDataString(jobId)}", cancellationToken);

    /// <summary>A completed job's result document.</summary>
    public Task<JsonNode> GetResultAsync(string jobId, CancellationToken cancellationToken) =>
        GetAsync($"api/jobs/{Uri.EscapeDataString(jobId)}/result", cancellationToken);

    /// <summary>The newest jobs.</summary>
    public Task<JsonNode> ListJobsAsync(string? status, int limit, CancellationToken cancellationToken) =>
        GetAsync($"api/jobs?limit={limit}" + (status is null ? "" : $"&status={Uri.EscapeDataString(status)}"), cancellationToken);

    /// <summary>Asks for a job to be canceled.</summary>
    public Task<JsonNode> CancelAsync(string jobId, CancellationToken cancellationToken) =>
        SendAsync(() => _http.PostAsync($"api/jobs/{Uri.EscapeDataString(jobId)}/cancel", null, cancellationToken), cancellationToken);

    /// <summary>What a job's task attempts logged.</summary>
    public Task<JsonNode> GetLogsAsync(string jobId, int? stage, int? partition, CancellationToken cancellationToken) =>
        GetAsync($"api/jobs/{Uri.EscapeDataString(jobId)}/logs?" + string.Join('&', new[] { stage is null ? null : $"stage={stage}", partition is null ? null : $"partition={partition}" }.OfType<string>()), cancellationToken);

    /// <summary>The blobs under a path.</summary>
    public Task<JsonNode> ListFilesAsync(string path, CancellationToken cancellationToken) =>
        GetAsync($"api/files?path={Uri.EscapeDataString(path)}", cancellationToken);

    /// <summary>Writes a blob from a local file.</summary>
    public async Task UploadAsync(string path, string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SendAsync(() => _http.PutAsync("api/files/" + EscapePath(path), content, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a blob into a local file.</summary>
    public async Task DownloadAsync(string path, string file, CancellationToken cancellationToken)
    {
        using var response = await Send(() => _http.GetAsync("api/files/" + EscapePath(path), HttpCompletionOption.ResponseHeadersRead, cancellationToken)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        await using var target = File.Create(file);
        await response.Content.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private Task<JsonNode> GetAsync(string uri, CancellationToken cancellationToken) =>
        SendAsync(() => _http.GetAsync(uri, cancellationToken), cancellationToken);

    private async Task<JsonNode> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await Send(send).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        // Parsed case-sensitively (unlike ReadFromJsonAsync's web defaults): result keys may differ only in case.
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (JsonException)
        {
            throw new CliException($"the driver at {_http.BaseAddress} answered something that is not JSON ({(int)response.StatusCode})", CliException.Unreachable);
        }
    }

    private async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the driver at {_http.BaseAddress}: {e.Message} (is it running? 'spark-serverless up' starts one)", CliException.Unreachable);
        }
    }

    /// <summary>The error the driver gave, as one line, with the exit code its status calls for.</summary>
    private static async Task<CliException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? message = null;
        try
        {
            message = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))?["error"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not our JSON error: the status code alone must speak.
        }
        message ??= $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.StatusCode == HttpStatusCode.Unauthorized) message += " (pass --key or set SPARK_KEY)";
        int code = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized
            ? CliException.BadInput : CliException.Unreachable;
        return new CliException(message, code);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

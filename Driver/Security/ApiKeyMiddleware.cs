using System.Net;
using System.Security.Cryptography;
using System.Text;
using Spark.Serverless.Driver.Api;

namespace Spark.Serverless.Driver.Security;

/// <summary>
/// Requires a key on <c>/api/</c> requests, in <c>x-functions-key</c> or <c>?code=</c> as Azure Functions takes
/// them, whenever keys are configured, and refuses to start an API that listens beyond loopback without any.
/// <c>/health</c>, <c>/openapi</c> and the web UI's files are open: they hold no data (the UI sends the key it was
/// opened with on its own API calls).
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    /// <summary>The header that carries a key.</summary>
    public const string Header = "x-functions-key";

    /// <summary>The query parameter that carries a key.</summary>
    public const string Query = "code";

    /// <summary>Checks the key, or passes the request on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!keys.Required || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        string? given = context.Request.Headers[Header].FirstOrDefault() ?? context.Request.Query[Query].FirstOrDefault();
        string? refusal = given is null or "" ? $"A key is required: send it in the {Header} header or the ?{Query}= query parameter."
            : keys.Accepts(given) ? null : "The key is not valid.";
        if (refusal is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"{Header}";
        await context.Response.WriteAsJsonAsync(new ErrorResponse(refusal), SparkJson.Options).ConfigureAwait(false);
    }
}

/// <summary>The accepted API keys (<c>Driver:ApiKeys</c>), and whether requests must carry one.</summary>
public sealed class ApiKeys
{
    private readonly byte[][] _keys;

    /// <summary>Reads the keys and decides whether they are required.</summary>
    /// <param name="configured">Comma-separated keys; empty for none.</param>
    /// <param name="urls">Where the API listens (<c>Driver:Urls</c>, or the custom handler's loopback URL).</param>
    /// <exception cref="InvalidOperationException">The API listens beyond loopback and no key is configured.</exception>
    public ApiKeys(string? configured, string urls)
    {
        _keys = (configured ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => Encoding.UTF8.GetBytes(k)).ToArray();
        if (_keys.Any(k => k.Length < 16))
            throw new InvalidOperationException("Driver:ApiKeys holds a key shorter than 16 characters; use long random keys (for example: openssl rand -hex 24).");
        var beyond = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u => !IsLoopback(u)).ToList();
        if (beyond.Count > 0 && _keys.Length == 0)
            throw new InvalidOperationException($"The API listens beyond loopback ({string.Join(", ", beyond)}) but Driver:ApiKeys is empty; set at least one key, or listen on 127.0.0.1.");
        Required = _keys.Length > 0;
    }

    /// <summary>Whether requests must carry a key: some are configured (always so beyond loopback).</summary>
    public bool Required { get; }

    /// <summary>Whether a key is one of the configured ones (compared in constant time).</summary>
    public bool Accepts(string given)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(given);
        bool found = false;
        foreach (var key in _keys) found |= CryptographicOperations.FixedTimeEquals(key, bytes);
        return found;
    }

    /// <summary>Whether a listen URL binds loopback only (<c>localhost</c>, <c>127.x</c>, <c>[::1]</c>).</summary>
    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}

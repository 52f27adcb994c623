namespace Spark.Serverless.Driver.Ui;

/// <summary>
/// The web UI: static files embedded in the driver (<c>Ui/wwwroot</c>), served at <c>/</c> and <c>/ui/…</c>. The pages
/// call the same API as everyone else, with the key they were opened with (<c>/?code=KEY</c>).
/// </summary>
public static class UiEndpoints
{
    private const string Prefix = "ui/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    /// <summary>Maps <c>GET /</c> (the page) and <c>GET /ui/{file}</c> (its scripts and styles).</summary>
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (HttpResponse response) => Serve("index.html", response)).ExcludeFromDescription();
        routes.MapGet("/ui/{**file}", (string file, HttpResponse response) => Serve(file, response)).ExcludeFromDescription();
        return routes;
    }

    private static IResult Serve(string file, HttpResponse response)
    {
        // Only names of embedded files resolve, so no path can reach anything else.
        var stream = typeof(UiEndpoints).Assembly.GetManifestResourceStream(Prefix + file);
        if (stream is null || !ContentTypes.TryGetValue(Path.GetExtension(file), out string? type))
        {
            stream?.Dispose();
            return Results.NotFound();
        }
        response.Headers.CacheControl = "no-cache";
        return Results.Stream(stream, type);
    }
}

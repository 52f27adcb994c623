using System.CommandLine;
using Spark.Serverless.Cli.Local;

namespace Spark.Serverless.Cli;

/// <summary>Options every command takes: where the driver is, its key, and where a local platform keeps its state.</summary>
internal static class GlobalOptions
{
    /// <summary>The driver everyone reaches when nothing says otherwise: the Functions host's local port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary><c>--url</c>: the driver's base URL.</summary>
    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The driver's URL (default: $SPARK_URL, else the platform 'up' started, else {DefaultUrl}).",
        Recursive = true,
    };

    /// <summary><c>--key</c>: the API key.</summary>
    public static readonly Option<string?> Key = new("--key")
    {
        Description = "The API key, sent as x-functions-key (default: $SPARK_KEY).",
        Recursive = true,
        DefaultValueFactory = _ => Variable("SPARK_KEY"),
    };

    /// <summary><c>--home</c>: where <c>up</c> keeps the local platform's state, logs and data.</summary>
    public static readonly Option<DirectoryInfo> Home = new("--home")
    {
        Description = "Where 'up' keeps the local platform's state, logs and storage (default: $SPARK_HOME or ~/.spark-serverless).",
        Recursive = true,
        DefaultValueFactory = _ => new DirectoryInfo(Variable("SPARK_HOME")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".spark-serverless")),
    };

    /// <summary>The driver's base URL, ending in '/'.</summary>
    public static Uri DriverUri(ParseResult parse)
    {
        string url = parse.GetValue(Url) ?? Variable("SPARK_URL") ?? PlatformState.TryRead(parse.GetValue(Home)!)?.Url ?? DefaultUrl;
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--url '{url}' is not an http(s) URL", CliException.BadInput);
        return uri;
    }

    /// <summary>An environment variable; set but empty counts as unset.</summary>
    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>A client for the driver, with the key.</summary>
    public static DriverClient Client(ParseResult parse) => new(DriverUri(parse), parse.GetValue(Key));
}

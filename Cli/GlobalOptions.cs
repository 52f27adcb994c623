using System.CommandLine;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Cli;

/// <summary>Options every command takes: where the driver and the storage account are.</summary>
internal static class GlobalOptions
{
    /// <summary><c>--url</c>: the driver's base URL.</summary>
    public static readonly Option<string> Url = new("--url")
    {
        Description = "The driver's URL (default: $SPARK_URL or http://127.0.0.1:7071).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SPARK_URL") ?? "http://127.0.0.1:7071",
    };

    /// <summary><c>--connection</c>: the storage connection string.</summary>
    public static readonly Option<string> Connection = new("--connection")
    {
        Description = "The storage connection string (default: $AzureWebJobsStorage or Azurite's default).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true",
    };

    /// <summary>The driver's base URL, ending in '/'.</summary>
    public static Uri DriverUri(ParseResult parse)
    {
        string url = parse.GetValue(Url)!;
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliException($"--url '{url}' is not an http(s) URL", CliException.BadInput);
        return uri;
    }

    /// <summary>Storage clients for the connection string.</summary>
    public static SparkStorage Storage(ParseResult parse)
    {
        try
        {
            return new SparkStorage(new SparkOptions { ConnectionString = parse.GetValue(Connection)! });
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new CliException($"--connection is not a storage connection string: {e.Message}", CliException.BadInput);
        }
    }
}

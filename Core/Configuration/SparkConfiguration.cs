using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Configuration;

/// <summary>
/// Configuration as Azure Functions reads it: the <c>Values</c> of <c>local.settings.json</c>, then environment
/// variables (which win). Keys nest with <c>__</c> (<c>Executor__Slots</c>) or <c>:</c>.
/// </summary>
public static class SparkConfiguration
{
    /// <summary>The environment variable that names a settings file other than <c>./local.settings.json</c>.</summary>
    public const string SettingsFileVariable = "SPARK_SETTINGS_FILE";

    /// <summary>Adds <c>local.settings.json</c> (if present) and the environment.</summary>
    /// <exception cref="InvalidOperationException">The settings file exists but is not valid JSON of the Functions shape.</exception>
    public static IConfigurationBuilder AddSparkSettings(this IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string path = Environment.GetEnvironmentVariable(SettingsFileVariable) ?? Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
        if (File.Exists(path)) builder.AddInMemoryCollection(ReadValues(path));
        return builder.AddEnvironmentVariables();
    }

    /// <summary>Reads the <c>Values</c> object of a Functions settings file, with <c>__</c> turned into <c>:</c>.</summary>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (!document.RootElement.TryGetProperty("Values", out var section)) return values;
            foreach (var property in section.EnumerateObject())
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            return values;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The storage options: <c>AzureWebJobsStorage</c> and the <c>Spark</c> section, validated.</summary>
    public static SparkOptions GetSparkOptions(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SparkOptions();
        configuration.GetSection(SparkOptions.Section).Bind(options);
        if (configuration[SparkOptions.ConnectionSetting] is { Length: > 0 } connection) options.ConnectionString = connection;
        options.Validate();
        return options;
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Infra.Tests;

/// <summary>The deployment files under <c>infra/</c>, and what the code says they must agree with.</summary>
internal static partial class Infra
{
    /// <summary>A file under <c>infra/</c>.</summary>
    public static string Path(string relative) => RepoPaths.InRepo(System.IO.Path.Combine("infra", relative));

    /// <summary>A JSON file under <c>infra/</c>, parsed (a syntax error fails the test with the file's name).</summary>
    public static JsonNode Json(string relative)
    {
        string path = Path(relative);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new AssertFailedException($"{relative} is empty.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AssertFailedException($"{relative} is not well-formed JSON: {e.Message}");
        }
    }

    /// <summary>Every setting <c>local.settings.sample.json</c> documents.</summary>
    public static IReadOnlySet<string> DocumentedSettings { get; } = JsonNode.Parse(File.ReadAllText(RepoPaths.InRepo("local.settings.sample.json")))!["Documentation"]!
        .AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Names of our settings (<c>Section__Key</c>) mentioned in a text.</summary>
    public static IEnumerable<string> SettingNames(string text) =>
        SettingPattern().Matches(text).Select(m => m.Value).Distinct();

    [GeneratedRegex(@"\b(Spark|Driver|Executor|Manager)__[A-Za-z]+\b")]
    private static partial Regex SettingPattern();
}

using System.Text.Json.Nodes;

namespace Spark.Serverless.Driver.Tests;

/// <summary>Spec texts the tests share.</summary>
internal static class Specs
{
    /// <summary>A valid word count over <c>input/books/*.txt</c>.</summary>
    public const string WordCount = """
        {
          "name": "wc",
          "steps": [
            { "id": "lines",  "op": "textFile",    "path": "input/books/*.txt" },
            { "id": "words",  "op": "flatMap",     "from": "lines",  "fn": "line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
            { "id": "pairs",  "op": "map",         "from": "words",  "fn": "w => (w.ToLowerInvariant(), 1L)" },
            { "id": "counts", "op": "reduceByKey", "from": "pairs",  "fn": "(a, b) => a + b" },
            {                 "op": "saveAsTextFile", "from": "counts", "path": "output/wc" }
          ]
        }
        """;

    /// <summary>The word count with one step's field set to a JSON value.</summary>
    public static string WithStep(string stepId, string field, string jsonValue)
    {
        var root = JsonNode.Parse(WordCount)!;
        var step = root["steps"]!.AsArray().Single(s => (string?)s!["id"] == stepId)!;
        step[field] = JsonNode.Parse(jsonValue);
        return root.ToJsonString();
    }
}

using System.Globalization;
using System.Text.Json;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;

namespace Spark.Serverless.Nodes;

/// <summary><c>jsonLines</c>: one JSON value per line (blank lines skipped), line-aligned splits like <c>textFile</c>.</summary>
internal sealed class JsonLinesNode(BlobPath path, int minPartitions) : BlobSourceNode<JsonElement>("jsonLines", path, minPartitions)
{
    internal override IEnumerable<JsonElement> Compute(TaskContext context, int partition)
    {
        var split = context.Plan.SplitsOf(Id)[partition];
        int line = 0;
        foreach (var text in TextFileNode.ReadLines(context, split))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return Parse(text, split, line);
        }
    }

    private static JsonElement Parse(string text, InputSplit split, int line)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"{split.Container}/{split.Blob}: line {line} of the split starting at byte {split.Start} is not valid JSON: {e.Message}"), e);
        }
    }
}

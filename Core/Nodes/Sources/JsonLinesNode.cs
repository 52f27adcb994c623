using System.Globalization;
using System.Text;
using System.Text.Json;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary><c>jsonLines</c>: one JSON value per line (blank lines skipped), line-aligned splits like <c>textFile</c>.</summary>
internal sealed class JsonLinesNode(BlobPath path, int minPartitions) : PlanNode<JsonElement>("jsonLines"), ISourceNode
{
    /// <inheritdoc />
    public BlobPath Path => path;

    /// <inheritdoc />
    public int MinPartitions => minPartitions;

    internal override int ResolvePartitions(PlanBindings bindings) => bindings.SplitsOf(Id).Count;

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

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" path={path} minPartitions={minPartitions}");
}

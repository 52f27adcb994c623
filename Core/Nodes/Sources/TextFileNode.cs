using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary><c>textFile</c>: the lines of the blobs a path names, one partition per line-aligned split.</summary>
internal sealed class TextFileNode(BlobPath path, int minPartitions) : PlanNode<string>("textFile"), ISourceNode
{
    /// <inheritdoc />
    public BlobPath Path => path;

    /// <inheritdoc />
    public int MinPartitions => minPartitions;

    internal override int ResolvePartitions(PlanBindings bindings) => bindings.SplitsOf(Id).Count;

    internal override IEnumerable<string> Compute(TaskContext context, int partition) => ReadLines(context, context.Plan.SplitsOf(Id)[partition]);

    /// <summary>The lines of one split, counted as records read.</summary>
    internal static IEnumerable<string> ReadLines(TaskContext context, InputSplit split)
    {
        using var stream = context.OpenSplit(split);
        foreach (var line in LineSplitReader.ReadLines(stream, split.Start, split.End))
        {
            context.RecordsIn++;
            yield return line;
        }
    }

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" path={path} minPartitions={minPartitions}");
}

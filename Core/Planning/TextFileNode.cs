using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;

namespace Spark.Serverless.Planning;

/// <summary><c>textFile</c>: the lines of the blobs a path names, one partition per line-aligned split.</summary>
internal sealed class TextFileNode(BlobPath path, int minPartitions) : PlanNode<string>("textFile"), ISourceNode
{
    /// <inheritdoc />
    public BlobPath Path => path;

    /// <inheritdoc />
    public int MinPartitions => minPartitions;

    internal override int ResolvePartitions(PlanBindings bindings) => bindings.SplitsOf(Id).Count;

    internal override IEnumerable<string> Compute(TaskContext context, int partition)
    {
        var split = context.Plan.SplitsOf(Id)[partition];
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

/// <summary>A node that reads input blobs, whose splits the driver plans by listing them.</summary>
internal interface ISourceNode
{
    /// <summary>The path, folder or glob of the input blobs.</summary>
    BlobPath Path { get; }

    /// <summary>The fewest partitions wanted; 0 for no preference.</summary>
    int MinPartitions { get; }
}

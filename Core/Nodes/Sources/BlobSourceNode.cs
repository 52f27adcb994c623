using System.Globalization;
using System.Text;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary>A source that reads the blobs a path names, one partition per split the driver planned by listing them.</summary>
internal abstract class BlobSourceNode<T>(string op, BlobPath path, int minPartitions) : PlanNode<T>(op), ISourceNode
{
    /// <inheritdoc />
    public BlobPath Path => path;

    /// <inheritdoc />
    public int MinPartitions => minPartitions;

    internal override int ResolvePartitions(PlanBindings bindings) => bindings.SplitsOf(Id).Count;

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" path={path} minPartitions={minPartitions}");
}

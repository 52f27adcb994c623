using Spark.Serverless.IO;
using Spark.Serverless.Planning;

namespace Spark.Serverless;

/// <summary>
/// The entry point of a job, like Spark's <c>SparkContext</c>: creates datasets from sources and collects the
/// plan that transformations and actions build. Plan nodes get ids in build order, which is how a task names
/// the node it runs on an executor.
/// </summary>
public sealed class JobContext
{
    private readonly List<PlanNode> _nodes = [];
    private readonly List<PlanNode> _actions = [];

    /// <summary>All plan nodes, in build order (a node's index is its id).</summary>
    internal IReadOnlyList<PlanNode> Nodes => _nodes;

    /// <summary>The action nodes, in the order the job declared them.</summary>
    internal IReadOnlyList<PlanNode> Actions => _actions;

    /// <summary>
    /// Reads text blobs as lines. Each blob is cut into line-aligned byte ranges, one task each; a line that
    /// crosses a range boundary is read once, by the range it starts in. Line ends are <c>\n</c> or <c>\r\n</c>.
    /// </summary>
    /// <param name="path"><c>container/prefix</c>: one blob, every blob under a folder, or a glob such as <c>input/books/*.txt</c>.</param>
    /// <param name="minPartitions">The fewest partitions wanted; 0 lets the split size decide.</param>
    /// <exception cref="ArgumentException">The path is not in <c>container/prefix</c> form.</exception>
    public Dataset<string> TextFile(string path, int minPartitions = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minPartitions);
        if (!BlobPath.TryParse(path, out var parsed, out var error))
            throw new ArgumentException(error, nameof(path));
        return new Dataset<string>(this, Add(new TextFileNode(parsed.Value, minPartitions)));
    }

    internal T Add<T>(T node) where T : PlanNode
    {
        node.Id = _nodes.Count;
        _nodes.Add(node);
        return node;
    }

    internal void AddAction(PlanNode node)
    {
        Add(node);
        _actions.Add(node);
    }
}

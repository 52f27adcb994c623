using System.Text.Json;
using System.Text.RegularExpressions;
using Spark.Serverless.IO;
using Spark.Serverless.Nodes;
using Spark.Serverless.Planning;

namespace Spark.Serverless;

/// <summary>
/// The entry point of a job, like Spark's <c>SparkContext</c>: creates datasets from sources, broadcast variables
/// and accumulators, and collects the plan that transformations and actions build. Plan nodes get ids in build
/// order, which is how a task names the node it runs on an executor.
/// </summary>
public sealed partial class JobContext
{
    private readonly List<PlanNode> _nodes = [];
    private readonly List<PlanNode> _actions = [];
    private readonly List<AccumulatorInfo> _accumulators = [];
    private int _broadcasts;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Name();

    /// <summary>All plan nodes, in build order (a node's index is its id).</summary>
    internal IReadOnlyList<PlanNode> Nodes => _nodes;

    /// <summary>The action nodes (broadcasts included), in the order the job declared them.</summary>
    internal IReadOnlyList<PlanNode> Actions => _actions;

    /// <summary>The accumulators, in the order declared.</summary>
    internal IReadOnlyList<AccumulatorInfo> Accumulators => _accumulators;

    /// <summary>
    /// Reads text blobs as lines. Each blob is cut into line-aligned byte ranges, one task each; a line that
    /// crosses a range boundary is read once, by the range it starts in. Line ends are <c>\n</c> or <c>\r\n</c>.
    /// </summary>
    /// <param name="path"><c>container/prefix</c>: one blob, every blob under a folder, or a glob such as <c>input/books/*.txt</c>.</param>
    /// <param name="minPartitions">The fewest partitions wanted; 0 lets the split size decide.</param>
    /// <exception cref="ArgumentException">The path is not in <c>container/prefix</c> form.</exception>
    public Dataset<string> TextFile(string path, int minPartitions = 0) =>
        Source(new TextFileNode(ParsePath(path), CheckMin(minPartitions)));

    /// <summary>Reads CSV (RFC 4180) rows: fields by position as text or parsed numbers (see <see cref="CsvRow"/>).</summary>
    /// <param name="path"><c>container/prefix</c> of the blobs.</param>
    /// <param name="header">Skip the first row of each blob.</param>
    /// <param name="delimiter">The field separator.</param>
    /// <param name="multiLine">Allow line breaks inside quoted fields; each blob is then read whole by one task.</param>
    /// <param name="minPartitions">The fewest partitions wanted.</param>
    public Dataset<CsvRow> Csv(string path, bool header = false, char delimiter = ',', bool multiLine = false, int minPartitions = 0)
    {
        if (delimiter is '"' or '\n' or '\r') throw new ArgumentException("The delimiter cannot be a quote or a line break.", nameof(delimiter));
        return Source(new CsvNode(ParsePath(path), header, delimiter, multiLine, CheckMin(minPartitions)));
    }

    /// <summary>Reads one JSON value per line (blank lines are skipped).</summary>
    public Dataset<JsonElement> JsonLines(string path, int minPartitions = 0) => Source(new JsonLinesNode(ParsePath(path), CheckMin(minPartitions)));

    /// <summary>The numbers from <paramref name="start"/> up to (not including) <paramref name="end"/> by <paramref name="step"/>.</summary>
    /// <param name="start">The first number.</param>
    /// <param name="end">The bound, excluded.</param>
    /// <param name="step">The increment; negative counts down; not 0.</param>
    /// <param name="numSlices">Partitions; 0 uses the job's <c>defaultParallelism</c>.</param>
    public Dataset<long> Range(long start, long end, long step = 1, int numSlices = 0) => Source(new RangeNode(start, end, step, CheckMin(numSlices)));

    /// <summary>A dataset of small inline data. Build must make the same items on every machine.</summary>
    public Dataset<T> Parallelize<T>(IEnumerable<T> items, int numSlices = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Source(new ParallelizeNode<T>(items.ToArray(), CheckMin(numSlices)));
    }

    /// <summary>A dataset an earlier job persisted with <see cref="Dataset{T}.Persist"/> under <paramref name="name"/>, read without recomputing it.</summary>
    public Dataset<T> ReadPersisted<T>(string name) => Source(new PersistedSourceNode<T>(CheckName(name, nameof(name))));

    /// <summary>A broadcast variable holding a value made in Build (every executor's Build makes it again).</summary>
    public Broadcast<T> Broadcast<T>(T value) => new($"broadcast-{++_broadcasts}", value);

    /// <summary>A whole-number accumulator.</summary>
    public Accumulator<long> LongAccumulator(string name) => Accumulator<long>(name);

    /// <summary>A floating-point accumulator.</summary>
    public Accumulator<double> DoubleAccumulator(string name) => Accumulator<double>(name);

    internal Broadcast<T> NewBroadcastHandle<T>() => new($"broadcast-{++_broadcasts}");

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

    internal static BlobPath ParsePath(string path) =>
        BlobPath.TryParse(path, out var parsed, out var error) ? parsed.Value : throw new ArgumentException(error, nameof(path));

    internal static string CheckName(string name, string parameter) =>
        name is not null && Name().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a valid name (1-64 letters, digits, '_' or '-').", parameter);

    private Accumulator<T> Accumulator<T>(string name) where T : struct, System.Numerics.INumber<T>
    {
        var accumulator = new Accumulator<T>(CheckName(name, nameof(name)));
        _accumulators.Add(new AccumulatorInfo(name, accumulator.IsDouble));
        return accumulator;
    }

    private Dataset<T> Source<T>(PlanNode<T> node) => new(this, Add(node));

    private static int CheckMin(int value) => value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Partition counts cannot be negative.");
}

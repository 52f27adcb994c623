using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;
using Spark.Serverless.Serialization;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Nodes;

/// <summary>How an exchange assigns keys to reduce partitions.</summary>
internal enum Partitioning
{
    /// <summary>By a stable hash of the key.</summary>
    Hash,

    /// <summary>By ranges of sorted keys, bounds drawn from a sample (sortBy).</summary>
    Range,

    /// <summary>The key is the partition number (repartition).</summary>
    Modulo,
}

/// <summary>
/// A shuffle (the boundary between two stages). Its map side runs at the end of the parent stage: it optionally
/// combines values by key (map-side combine), partitions the records and writes one sort-based shuffle file per map
/// task, a range exchange's sorted by key within each partition. Its <see cref="Compute"/> is the reduce side: the
/// partition's records from every map output, in map order (<see cref="ComputeSorted"/> merges them in key order).
/// </summary>
internal sealed class ExchangeNode<TKey, TValue, TOut> : PlanNode<(TKey Key, TOut Value)>, IShuffleMapTask where TKey : notnull
{
    private readonly PlanNode<(TKey Key, TValue Value)> _parent;
    private readonly Func<TaskContext, PlanNode<(TKey Key, TValue Value)>, int, IEnumerable<(TKey Key, TOut Value)>> _mapSide;
    private readonly string _mapSideDescription;
    private readonly Partitioning _partitioning;
    private readonly bool _descending;
    private readonly int _numPartitions;

    /// <summary>An exchange; a range exchange orders keys by <see cref="KeyComparer"/>, reversed when <paramref name="descending"/>.</summary>
    public ExchangeNode(PlanNode<(TKey Key, TValue Value)> parent, Partitioning partitioning, int numPartitions, string op,
        Func<TaskContext, PlanNode<(TKey Key, TValue Value)>, int, IEnumerable<(TKey Key, TOut Value)>> mapSide, string mapSideDescription, bool descending = false)
        : base(op, parent)
    {
        _parent = parent;
        _partitioning = partitioning;
        _numPartitions = numPartitions;
        _mapSide = mapSide;
        _mapSideDescription = mapSideDescription;
        _descending = descending;
    }

    /// <inheritdoc />
    public override bool IsShuffle => true;

    /// <inheritdoc />
    public bool NeedsSample => _partitioning == Partitioning.Range;

    internal override int ResolvePartitions(PlanBindings bindings) => _numPartitions > 0 ? _numPartitions : bindings.DefaultShufflePartitions;

    /// <inheritdoc />
    public TaskOutput RunMapTask(TaskContext context, int partition) => _partitioning == Partitioning.Range
        ? SortedShuffleWriter.Write(context, _mapSide(context, _parent, partition), PartitionerFor(context), _descending)
        : ShuffleWriter.Write(context, _mapSide(context, _parent, partition), PartitionerFor(context));

    /// <inheritdoc />
    public TaskOutput RunSampleTask(TaskContext context, int partition)
    {
        // Spark SQL's sample size for a range exchange: 100 keys per reduce partition overall, tripled for skew, spread
        // over the map tasks. With Spark's RDD default, 20, the 1 GB Sort's largest partition would be about 21% above
        // the mean (the median of 200 simulated draws for its 16 map tasks and 14 partitions), with 100 about 10%; a
        // reduce task's memory and time follow its partition, and the task reads up to SortSampleRecords either way.
        int wanted = (int)Math.Ceiling(3.0 * Math.Min(100.0 * NumPartitions, 1e6) / Math.Max(1, _parent.NumPartitions));
        var sample = new List<TKey>(wanted);
        var random = new Random(partition);
        long seen = 0;
        foreach (var (key, _) in _parent.Compute(context, partition))
        {
            if (sample.Count < wanted) sample.Add(key);
            else if (random.NextInt64(seen + 1) is var slot && slot < wanted) sample[(int)slot] = key;
            if (++seen >= context.Plan.Settings.SortSampleRecords) break;
        }
        var codec = RecordCodec.For<TKey>();
        using var keys = new RecordWriter(null);
        foreach (var key in sample) codec.Write(keys, key);
        string blob = StorageLayout.Sample(context.Task.JobId, context.Task.StageId, partition, context.AttemptId);
        using var frames = new MemoryStream();
        if (sample.Count > 0) ShuffleBlock.WriteFrame(keys.WrittenSpan, frames);
        context.UploadSmall(blob, new BinaryData(frames.ToArray()));
        return new TaskOutput([blob], [0, frames.Length], sample.Count, frames.Length);
    }

    internal override IEnumerable<(TKey Key, TOut Value)> Compute(TaskContext context, int partition) =>
        ShuffleReader.Read<TKey, TOut>(context, Id, partition);

    /// <inheritdoc />
    internal override long EstimatedRecords(TaskContext context, int partition) =>
        context.GetMapOutputs(Id).Outputs.Sum(output => output.EstimatedRecords(partition));

    /// <summary>A range exchange's partition in key order, ties in input order: its map tasks wrote sorted segments, merged here.</summary>
    internal IEnumerable<(TKey Key, TOut Value)> ComputeSorted(TaskContext context, int partition) => _partitioning == Partitioning.Range
        ? SortedShuffleReader.Merge<TKey, TOut>(context, Id, partition, _descending)
        : throw new InvalidOperationException("Only a range exchange's partitions come sorted.");

    private Partitioner<TKey> PartitionerFor(TaskContext context) => _partitioning switch
    {
        Partitioning.Hash => new HashPartitioner<TKey>(NumPartitions),
        Partitioning.Modulo => (Partitioner<TKey>)(object)new ModuloPartitioner(NumPartitions),
        _ => context.Shared($"range-bounds:{Id}", () => LoadBounds(context)),
    };

    /// <summary>Every map task draws the same bounds from the same samples, so they agree without talking.</summary>
    private RangePartitioner<TKey> LoadBounds(TaskContext context)
    {
        var sampleStage = context.Plan.Stages.Single(s => s.Kind == StageKind.Sample && s.NodeId == Id);
        var outputs = StageOutputs.Read(context.Storage, context.Task.JobId, sampleStage.Id);
        var keys = new List<TKey>();
        foreach (var output in outputs.Outputs)
            keys.AddRange(ShuffleReader.ReadBlock<TKey>(context, output.DataBlob, 0, output.Offsets[^1]));
        return RangePartitioner<TKey>.FromSample(keys, NumPartitions, KeyComparer.For<TKey>(_descending));
    }

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" partitioning={_partitioning} partitions={_numPartitions} mapSide={_mapSideDescription}");
}

/// <summary>Makes exchanges: plain ones, and ones that combine on the map side.</summary>
internal static class Exchange
{
    /// <summary>An exchange that moves records as they are.</summary>
    public static ExchangeNode<TKey, TValue, TValue> Plain<TKey, TValue>(PlanNode<(TKey Key, TValue Value)> parent, Partitioning partitioning, int numPartitions, string op, bool descending = false)
        where TKey : notnull =>
        new(parent, partitioning, numPartitions, op, static (context, parent, partition) => parent.Compute(context, partition), "none", descending);

    /// <summary>An exchange that combines values by key before writing (reduceByKey, aggregateByKey, distinct).</summary>
    public static ExchangeNode<TKey, TValue, TCombiner> Combining<TKey, TValue, TCombiner>(PlanNode<(TKey Key, TValue Value)> parent, Aggregator<TValue, TCombiner> aggregator, int numPartitions, string op)
        where TKey : notnull =>
        new(parent, Partitioning.Hash, numPartitions, op, (context, parent, partition) => Combine(context, parent, partition, aggregator), aggregator.Describe());

    private static IEnumerable<(TKey Key, TCombiner Value)> Combine<TKey, TValue, TCombiner>(TaskContext context, PlanNode<(TKey Key, TValue Value)> parent, int partition, Aggregator<TValue, TCombiner> aggregator)
        where TKey : notnull
    {
        using var combiner = new Execution.Spill.ExternalAggregator<TKey, TValue, TCombiner>(aggregator, context, growsWithValues: false);
        // Pushed, not enumerated: a map-side combine sees every record of the stage (every word of a word count).
        parent.Push(context, partition, combiner);
        foreach (var pair in combiner.Result()) yield return pair;
    }
}

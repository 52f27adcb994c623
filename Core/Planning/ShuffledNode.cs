using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Shuffle;

namespace Spark.Serverless.Planning;

/// <summary>
/// A shuffle (Spark's ShuffledRDD): its map side runs at the end of the parent stage, buckets records by
/// the hash of their key into <see cref="PlanNode.NumPartitions"/> reduce partitions and writes one sort-based
/// shuffle file per map task; its reduce side reads its slice from every map output and merges by key.
/// </summary>
internal sealed class ShuffledNode<TKey, TValue, TCombiner>(
    PlanNode<(TKey Key, TValue Value)> parent,
    Aggregator<TValue, TCombiner> aggregator,
    bool mapSideCombine,
    int numPartitions,
    string op) : PlanNode<(TKey Key, TCombiner Value)>(op, parent), IShuffleMapTask
    where TKey : notnull
{
    /// <inheritdoc />
    public override bool IsShuffle => true;

    internal override int ResolvePartitions(PlanBindings bindings) =>
        numPartitions > 0 ? numPartitions : bindings.DefaultShufflePartitions;

    /// <inheritdoc />
    public TaskOutput RunMapTask(TaskContext context, int partition)
    {
        var partitioner = new HashPartitioner<TKey>(NumPartitions);
        var records = parent.Compute(context, partition);
        if (!mapSideCombine)
            return ShuffleWriter.Write(context, records, partitioner);

        var combined = new Dictionary<TKey, TCombiner>();
        foreach (var (key, value) in records)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(combined, key, out bool exists);
            slot = exists ? aggregator.MergeValue(slot!, value) : aggregator.CreateCombiner(value);
        }
        return ShuffleWriter.Write(context, Pairs(combined), partitioner);
    }

    internal override IEnumerable<(TKey Key, TCombiner Value)> Compute(TaskContext context, int partition)
    {
        var merged = new Dictionary<TKey, TCombiner>();
        if (mapSideCombine)
        {
            foreach (var (key, combiner) in ShuffleReader.Read<TKey, TCombiner>(context, Id, partition))
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(merged, key, out bool exists);
                slot = exists ? aggregator.MergeCombiners(slot!, combiner) : combiner;
            }
        }
        else
        {
            foreach (var (key, value) in ShuffleReader.Read<TKey, TValue>(context, Id, partition))
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(merged, key, out bool exists);
                slot = exists ? aggregator.MergeValue(slot!, value) : aggregator.CreateCombiner(value);
            }
        }
        foreach (var pair in merged)
            yield return (pair.Key, pair.Value);
    }

    protected override void DescribeArguments(StringBuilder signature)
    {
        signature.Append(CultureInfo.InvariantCulture, $" partitions={numPartitions} combine={mapSideCombine} ");
        signature.Append(DescribeDelegate(aggregator.CreateCombiner)).Append(',')
            .Append(DescribeDelegate(aggregator.MergeValue)).Append(',')
            .Append(DescribeDelegate(aggregator.MergeCombiners));
    }

    private static IEnumerable<(TKey Key, TCombiner Value)> Pairs(Dictionary<TKey, TCombiner> combined)
    {
        foreach (var pair in combined)
            yield return (pair.Key, pair.Value);
    }
}

using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary>
/// The reduce side of a shuffle join: both inputs arrive hash-partitioned alike, so partition p of the result joins
/// partition p of each. The right side is loaded into a hash table and the left side streamed past it; if the right
/// side passes the memory budget, both sides are sorted externally by key and merge-joined instead. A left outer
/// join keeps left records with no match, with a missing right value.
/// </summary>
internal sealed class JoinNode<TKey, TLeft, TRight>(PlanNode<(TKey Key, TLeft Value)> left, PlanNode<(TKey Key, TRight Value)> right, bool outer)
    : PlanNode<(TKey Key, (TLeft Left, Optional<TRight> Right) Value)>(outer ? "leftOuterJoin" : "join", left, right) where TKey : notnull
{
    private const int EntryOverhead = 48;

    internal override IEnumerable<(TKey Key, (TLeft Left, Optional<TRight> Right) Value)> Compute(TaskContext context, int partition)
    {
        long estimate = 0, budget = context.Environment.MemoryBudgetBytes;
        var table = new Dictionary<TKey, JoinMatches<TRight>>(TableCapacity(context, partition, budget));
        using var rightRecords = right.Compute(context, partition).GetEnumerator();
        bool fits = true;
        while (rightRecords.MoveNext())
        {
            var (key, value) = rightRecords.Current;
            if (JoinMatches<TRight>.Add(table, key, value)) estimate += SizeEstimator<TKey>.Of(key) + EntryOverhead;
            estimate += SizeEstimator<TRight>.Of(value) + 8;
            if (estimate > budget)
            {
                fits = false;
                break;
            }
        }
        var joined = fits ? HashJoin(context, partition, table) : SortMergeJoin(context, partition, table, rightRecords);
        foreach (var record in joined) yield return record;
    }

    /// <summary>
    /// The table's starting size: the right side's records as its map outputs give them, no more than the budget would
    /// hold. Grown from empty, the table of the 1 GB join's orders (about 214,000 keys a partition) was copied into a
    /// new array at each growth, the later ones on the large-object heap: in the join stage, perf found the growth
    /// (142 samples), memset (107) and the background collector's threads (344) in a fifth of the executors' 3,150
    /// (whether those collections came from the growth was not measured apart). Presized, the stage took 2.75-2.89
    /// task-seconds against 3.25-3.28 (three alternating runs each), its executors peaking 8-22 MB higher.
    /// </summary>
    private int TableCapacity(TaskContext context, int partition, long budget) =>
        (int)Math.Min(right.EstimatedRecords(context, partition), budget / EntryOverhead);

    private IEnumerable<(TKey, (TLeft, Optional<TRight>))> HashJoin(TaskContext context, int partition, Dictionary<TKey, JoinMatches<TRight>> table)
    {
        foreach (var (key, value) in left.Compute(context, partition))
        {
            if (table.TryGetValue(key, out var matches))
            {
                yield return (key, (value, new Optional<TRight>(matches.First)));
                if (matches.More is { } more)
                    foreach (var match in more) yield return (key, (value, new Optional<TRight>(match)));
            }
            else if (outer)
                yield return (key, (value, Optional<TRight>.None));
        }
    }

    private IEnumerable<(TKey, (TLeft, Optional<TRight>))> SortMergeJoin(TaskContext context, int partition, Dictionary<TKey, JoinMatches<TRight>> loaded, IEnumerator<(TKey Key, TRight Value)> rest)
    {
        using var rightSorted = new ExternalSorter<(byte[] Bytes, TKey Key, TRight Value)>(Comparer<(byte[] Bytes, TKey Key, TRight Value)>.Create((a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes)), context);
        foreach (var (key, matches) in loaded)
        {
            var bytes = KeyBytes<TKey>.Of(key);
            rightSorted.Add((bytes, key, matches.First));
            if (matches.More is { } more)
                foreach (var value in more) rightSorted.Add((bytes, key, value));
        }
        loaded.Clear();
        while (rest.MoveNext()) rightSorted.Add((KeyBytes<TKey>.Of(rest.Current.Key), rest.Current.Key, rest.Current.Value));

        using var leftSorted = new ExternalSorter<(byte[] Bytes, TKey Key, TLeft Value)>(Comparer<(byte[] Bytes, TKey Key, TLeft Value)>.Create((a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes)), context);
        foreach (var (key, value) in left.Compute(context, partition)) leftSorted.Add((KeyBytes<TKey>.Of(key), key, value));

        using var l = leftSorted.Sorted().GetEnumerator();
        using var r = rightSorted.Sorted().GetEnumerator();
        bool hasLeft = l.MoveNext(), hasRight = r.MoveNext();
        var group = new List<TRight>();
        while (hasLeft)
        {
            byte[] key = l.Current.Bytes;
            while (hasRight && ByteArrayComparer.Instance.Compare(r.Current.Bytes, key) < 0) hasRight = r.MoveNext();
            group.Clear();
            while (hasRight && ByteArrayComparer.Instance.Compare(r.Current.Bytes, key) == 0)
            {
                group.Add(r.Current.Value);
                hasRight = r.MoveNext();
            }
            do
            {
                var (_, leftKey, leftValue) = l.Current;
                if (group.Count > 0)
                    foreach (var match in group) yield return (leftKey, (leftValue, new Optional<TRight>(match)));
                else if (outer)
                    yield return (leftKey, (leftValue, Optional<TRight>.None));
                hasLeft = l.MoveNext();
            }
            while (hasLeft && ByteArrayComparer.Instance.Compare(l.Current.Bytes, key) == 0);
        }
    }
}

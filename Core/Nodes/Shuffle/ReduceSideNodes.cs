using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary>The reduce side of a keyed aggregation: merges a shuffled partition's values by key, spilling past the memory budget.</summary>
internal sealed class AggregateNode<TKey, TValue, TCombiner>(PlanNode<(TKey Key, TValue Value)> parent, Aggregator<TValue, TCombiner> aggregator, bool growsWithValues, string op)
    : PlanNode<(TKey Key, TCombiner Value)>(op, parent) where TKey : notnull
{
    internal override IEnumerable<(TKey Key, TCombiner Value)> Compute(TaskContext context, int partition)
    {
        using var combiner = new ExternalAggregator<TKey, TValue, TCombiner>(aggregator, context, growsWithValues);
        foreach (var (key, value) in parent.Compute(context, partition)) combiner.Insert(key, value);
        foreach (var pair in combiner.Result()) yield return pair;
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(aggregator.Describe());
}

/// <summary>The reduce side of sortBy: a range partition, merged in key order from its map tasks' sorted segments.</summary>
internal sealed class SortNode<TKey, T>(ExchangeNode<TKey, T, T> exchange, bool descending)
    : PlanNode<T>("sortBy", exchange) where TKey : notnull
{
    internal override IEnumerable<T> Compute(TaskContext context, int partition)
    {
        foreach (var (_, value) in exchange.ComputeSorted(context, partition)) yield return value;
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(" descending=").Append(descending);
}

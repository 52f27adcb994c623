using System.Text;
using Spark.Serverless.Execution;

using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary><c>map</c>: one record out per record in.</summary>
internal sealed class MapNode<TIn, TOut>(PlanNode<TIn> parent, Func<TIn, TOut> selector, string op = "map", Delegate? userFunction = null) : PlanNode<TOut>(op, parent)
{
    internal override IEnumerable<TOut> Compute(TaskContext context, int partition)
    {
        foreach (var item in parent.Compute(context, partition))
            yield return selector(item);
    }

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(' ').Append(DescribeDelegate(selector)).Append(userFunction is null ? "" : " " + DescribeDelegate(userFunction));
}

/// <summary><c>flatMap</c>: any number of records out per record in.</summary>
internal sealed class FlatMapNode<TIn, TOut>(PlanNode<TIn> parent, Func<TIn, IEnumerable<TOut>> selector) : PlanNode<TOut>("flatMap", parent)
{
    internal override IEnumerable<TOut> Compute(TaskContext context, int partition)
    {
        foreach (var item in parent.Compute(context, partition))
        {
            var results = selector(item);
            // Most selectors return an array (string.Split): index it instead of going through its boxed enumerator.
            if (results is TOut[] array)
            {
                for (int i = 0; i < array.Length; i++) yield return array[i];
                continue;
            }
            foreach (var result in results) yield return result;
        }
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(DescribeDelegate(selector));
}

/// <summary><c>filter</c>: the records that pass a predicate.</summary>
internal sealed class FilterNode<T>(PlanNode<T> parent, Func<T, bool> predicate) : PlanNode<T>("filter", parent)
{
    internal override IEnumerable<T> Compute(TaskContext context, int partition)
    {
        foreach (var item in parent.Compute(context, partition))
            if (predicate(item))
                yield return item;
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(DescribeDelegate(predicate));
}

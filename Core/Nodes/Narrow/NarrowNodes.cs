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

    internal override void Push(TaskContext context, int partition, RecordSink<TOut> sink) => parent.Push(context, partition, new Sink(selector, sink));

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(' ').Append(DescribeDelegate(selector)).Append(userFunction is null ? "" : " " + DescribeDelegate(userFunction));

    private sealed class Sink(Func<TIn, TOut> selector, RecordSink<TOut> next) : RecordSink<TIn>
    {
        public override void Accept(TIn record) => next.Accept(selector(record));
    }
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

    internal override void Push(TaskContext context, int partition, RecordSink<TOut> sink) => parent.Push(context, partition, new Sink(selector, sink));

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(DescribeDelegate(selector));

    private sealed class Sink(Func<TIn, IEnumerable<TOut>> selector, RecordSink<TOut> next) : RecordSink<TIn>
    {
        public override void Accept(TIn record)
        {
            var results = selector(record);
            if (results is TOut[] array)
            {
                for (int i = 0; i < array.Length; i++) next.Accept(array[i]);
                return;
            }
            foreach (var result in results) next.Accept(result);
        }
    }
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

    internal override void Push(TaskContext context, int partition, RecordSink<T> sink) => parent.Push(context, partition, new Sink(predicate, sink));

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(DescribeDelegate(predicate));

    private sealed class Sink(Func<T, bool> predicate, RecordSink<T> next) : RecordSink<T>
    {
        public override void Accept(T record)
        {
            if (predicate(record)) next.Accept(record);
        }
    }
}

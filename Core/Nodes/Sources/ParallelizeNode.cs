using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Nodes;

/// <summary>
/// <c>parallelize</c>: small inline data, cut into contiguous slices. The data is not shipped: every executor's own
/// deterministic Build recreates it, and the plan hash (which covers a hash of the items) proves it is the same.
/// </summary>
internal sealed class ParallelizeNode<T>(IReadOnlyList<T> items, int slices) : PlanNode<T>("parallelize")
{
    internal override int ResolvePartitions(PlanBindings bindings) => slices > 0 ? slices : bindings.DefaultParallelism;

    internal override IEnumerable<T> Compute(TaskContext context, int partition)
    {
        int first = (int)((long)items.Count * partition / NumPartitions);
        int last = (int)((long)items.Count * (partition + 1) / NumPartitions);
        for (int i = first; i < last; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.RecordsIn++;
            yield return items[i];
        }
    }

    protected override void DescribeArguments(StringBuilder signature)
    {
        var codec = RecordCodec.For<T>();
        var writer = new RecordWriter(null);
        foreach (var item in items) codec.Write(writer, item);
        signature.Append(CultureInfo.InvariantCulture, $" items={items.Count} hash={XxHash3.HashToUInt64(writer.WrittenSpan):x16} slices={slices}");
        writer.Dispose();
    }
}

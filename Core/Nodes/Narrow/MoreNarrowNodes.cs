using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary><c>mapPartitions</c>: a function of a whole partition's records.</summary>
internal sealed class MapPartitionsNode<TIn, TOut>(PlanNode<TIn> parent, Func<IEnumerable<TIn>, IEnumerable<TOut>> selector, string op = "mapPartitions")
    : PlanNode<TOut>(op, parent)
{
    internal override IEnumerable<TOut> Compute(TaskContext context, int partition) => selector(parent.Compute(context, partition));

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(' ').Append(DescribeDelegate(selector));
}

/// <summary><c>union</c>: the partitions of the first dataset, then those of the second; no shuffle.</summary>
internal sealed class UnionNode<T>(PlanNode<T> first, PlanNode<T> second) : PlanNode<T>("union", first, second)
{
    internal override int ResolvePartitions(PlanBindings bindings) => first.NumPartitions + second.NumPartitions;

    internal override IEnumerable<T> Compute(TaskContext context, int partition) =>
        partition < first.NumPartitions ? first.Compute(context, partition) : second.Compute(context, partition - first.NumPartitions);
}

/// <summary>
/// <c>persist</c>: the first task to compute a partition keeps it in storage; later actions of the job, and later
/// jobs reading it by name, read it back instead of recomputing its lineage.
/// </summary>
internal sealed class PersistNode<T>(PlanNode<T> parent, string? name) : PlanNode<T>("persist", parent), IPersistNode
{
    /// <inheritdoc />
    public string? PersistName => name;

    /// <inheritdoc />
    Type IPersistNode.ElementType => typeof(T);

    internal override IEnumerable<T> Compute(TaskContext context, int partition)
    {
        string folder = context.Plan.Persisted[Id].Folder;
        if (PersistedData.Read<T>(context, folder, partition) is { } cached)
        {
            context.CachedPartitions++;
            return cached;
        }
        return PersistedData.Tee(context, parent.Compute(context, partition), folder, partition);
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(" name=").Append(name);
}

/// <summary>Keys each record with a target partition, round robin from a start that differs per map partition (repartition).</summary>
internal sealed class RoundRobinNode<T>(PlanNode<T> parent) : PlanNode<(int Key, T Value)>("repartition", parent)
{
    internal override IEnumerable<(int Key, T Value)> Compute(TaskContext context, int partition)
    {
        // Each map partition starts elsewhere so small partitions do not all fill reducer 0.
        int next = (int)((uint)(partition * 7919) % int.MaxValue);
        foreach (var record in parent.Compute(context, partition))
            yield return (next++, record);
    }
}

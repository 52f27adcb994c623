using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary>Reads a dataset that an earlier job persisted under a name, partition by partition, without recomputing it.</summary>
internal sealed class PersistedSourceNode<T>(string name) : PlanNode<T>("persisted"), IPersistedSource
{
    /// <inheritdoc />
    public string PersistName => name;

    /// <inheritdoc />
    Type IPersistedSource.ElementType => typeof(T);

    internal override int ResolvePartitions(PlanBindings bindings) =>
        bindings.PersistedInputs.TryGetValue(Id, out var input) ? input.Partitions : throw new InvalidOperationException($"Persisted dataset '{name}' was not resolved.");

    internal override IEnumerable<T> Compute(TaskContext context, int partition)
    {
        var input = context.Plan.PersistedInputs[Id];
        context.CachedPartitions++;
        return PersistedData.Read<T>(context, input.Folder, partition)
            ?? throw new InvalidOperationException($"Part {partition} of persisted dataset '{name}' ({input.Folder}) is missing.");
    }

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(" name=").Append(name);
}

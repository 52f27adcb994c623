using Spark.Serverless.IO;

namespace Spark.Serverless.Planning;

/// <summary>What a plan's partition counts depend on besides the plan itself: inputs, persisted datasets and default widths.</summary>
/// <param name="Sources">The splits of each blob-reading source node.</param>
/// <param name="PersistedInputs">The persisted datasets read by name, by node.</param>
/// <param name="Settings">The job's settings (default shuffle width and parallelism).</param>
internal sealed record PlanBindings(
    IReadOnlyDictionary<int, IReadOnlyList<InputSplit>> Sources,
    IReadOnlyDictionary<int, PersistedInput> PersistedInputs,
    JobSettings Settings)
{
    /// <summary>Reduce partitions of a shuffle that names none.</summary>
    public int DefaultShufflePartitions => Settings.ShufflePartitions;

    /// <summary>Partitions of <c>range</c> and <c>parallelize</c> when they name none.</summary>
    public int DefaultParallelism => Settings.DefaultParallelism;

    /// <summary>The splits of one source node.</summary>
    public IReadOnlyList<InputSplit> SplitsOf(int nodeId) =>
        Sources.TryGetValue(nodeId, out var splits) ? splits : throw new InvalidOperationException($"No splits were planned for source node {nodeId}.");
}

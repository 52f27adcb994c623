using Spark.Serverless.IO;

namespace Spark.Serverless.Planning;

/// <summary>What a plan's partition counts depend on besides the plan itself: input splits and the default shuffle width.</summary>
internal sealed class PlanBindings(IReadOnlyDictionary<int, IReadOnlyList<InputSplit>> sources, int defaultShufflePartitions)
{
    /// <summary>The splits of each source node.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<InputSplit>> Sources => sources;

    /// <summary>Reduce partitions of a shuffle that names none.</summary>
    public int DefaultShufflePartitions => defaultShufflePartitions;

    /// <summary>The splits of one source node.</summary>
    public IReadOnlyList<InputSplit> SplitsOf(int nodeId) =>
        sources.TryGetValue(nodeId, out var splits) ? splits : throw new InvalidOperationException($"No splits were planned for source node {nodeId}.");
}

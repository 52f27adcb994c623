using System.Collections.Concurrent;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Execution;

/// <summary>What the executor gives every task of a job: its memory budget, where it may spill, and caches shared by the job's tasks.</summary>
/// <param name="MemoryBudgetBytes">How much a task may hold in memory before sorts, groupings and joins spill to disk.</param>
/// <param name="SpillDirectory">Where spill files go; each is deleted when closed.</param>
/// <param name="Shared">Values computed once per job on this executor (range bounds, broadcast values).</param>
public sealed record TaskEnvironment(long MemoryBudgetBytes, string SpillDirectory, ConcurrentDictionary<string, Lazy<object>> Shared)
{
    /// <summary>A default environment: 256 MiB and the system temp folder.</summary>
    public static TaskEnvironment Default() => new(256L << 20, Path.GetTempPath(), new ConcurrentDictionary<string, Lazy<object>>());
}

/// <summary>Storage reads that many nodes of a running job need, resolved against its plan.</summary>
internal static class StageOutputs
{
    /// <summary>The published outputs of a finished stage (map outputs, samples, broadcast parts).</summary>
    public static Shuffle.MapOutputs Read(SparkStorage storage, string jobId, int stageId)
    {
        var blob = storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, stageId));
        try
        {
            return SparkJson.FromBinary<Shuffle.MapOutputs>(blob.DownloadContent().Value.Content);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw new FetchFailedException(stageId, -1, $"Outputs of stage {stageId} are missing.", e);
        }
    }
}

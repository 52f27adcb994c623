using Spark.Serverless.Execution;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>Reads the commit markers that executors created, the truth about which attempt's output counts.</summary>
public sealed class CommitMarkers(SparkStorage storage)
{
    private const int Parallelism = 16;

    /// <summary>The markers of every partition of a stage, in partition order, each from the stage attempt that committed it.</summary>
    public async Task<CommitMarker[]> ReadAsync(string jobId, Orchestration.StageState stage, CancellationToken cancellationToken)
    {
        var markers = new CommitMarker[stage.Tasks.Count];
        await Parallel.ForEachAsync(stage.Tasks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (task, ct) =>
        {
            int p = task.Partition;
            var content = await storage.Container.GetBlobClient(StorageLayout.CommitMarker(jobId, stage.Id, task.CommittedStageAttempt, p)).DownloadContentAsync(ct).ConfigureAwait(false);
            markers[p] = SparkJson.FromBinary<CommitMarker>(content.Value.Content);
        }).ConfigureAwait(false);
        return markers;
    }
}

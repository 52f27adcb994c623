using Spark.Serverless.Execution;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>Reads the commit markers that executors created, the truth about which attempt's output counts.</summary>
public sealed class CommitMarkers(SparkStorage storage)
{
    private const int Parallelism = 16;

    /// <summary>The markers of every partition of a stage, in partition order.</summary>
    public async Task<CommitMarker[]> ReadAsync(string jobId, int stageId, int partitions, CancellationToken cancellationToken)
    {
        var markers = new CommitMarker[partitions];
        await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            var content = await storage.Container.GetBlobClient(StorageLayout.CommitMarker(jobId, stageId, p)).DownloadContentAsync(ct).ConfigureAwait(false);
            markers[p] = SparkJson.FromBinary<CommitMarker>(content.Value.Content);
        }).ConfigureAwait(false);
        return markers;
    }
}

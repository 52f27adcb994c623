using Azure.Storage.Blobs.Models;
using Spark.Serverless.Execution;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>Reads the commit markers that executors created, the truth about which attempt's output counts.</summary>
public sealed class CommitMarkers(SparkStorage storage)
{
    private const int Parallelism = 16;

    /// <summary>The markers of every partition of a stage, in partition order, each from the stage attempt that committed it.</summary>
    /// <remarks>
    /// Each stage attempt's markers are listed with their metadata, which carries the marker (see
    /// <see cref="CommitMarker.Metadata"/>): one request per 5,000 markers. A marker without it (too long, or written
    /// before markers carried it) is read from its content.
    /// </remarks>
    public async Task<CommitMarker[]> ReadAsync(string jobId, Orchestration.StageState stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var markers = new CommitMarker[stage.Tasks.Count];
        foreach (var group in stage.Tasks.GroupBy(t => t.CommittedStageAttempt))
        {
            var wanted = group.Select(t => t.Partition).ToHashSet();
            string prefix = StorageLayout.CommitMarkerPrefix(jobId, stage.Id, group.Key);
            await foreach (var blob in storage.Container.GetBlobsAsync(BlobTraits.Metadata, prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (int.TryParse(blob.Name.AsSpan(prefix.Length), out int p) && wanted.Contains(p) && CommitMarker.FromMetadata(blob.Metadata) is { } marker)
                    markers[p] = marker;
            }
        }
        var unread = stage.Tasks.Where(t => markers[t.Partition] is null).ToList();
        await Parallel.ForEachAsync(unread, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (task, ct) =>
        {
            int p = task.Partition;
            var content = await storage.Container.GetBlobClient(StorageLayout.CommitMarker(jobId, stage.Id, task.CommittedStageAttempt, p)).DownloadContentAsync(ct).ConfigureAwait(false);
            markers[p] = SparkJson.FromBinary<CommitMarker>(content.Value.Content);
        }).ConfigureAwait(false);
        return markers;
    }
}

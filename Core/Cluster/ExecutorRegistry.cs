using Azure;
using Azure.Storage.Blobs.Models;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Cluster;

/// <summary>The executors' heartbeats in storage: the only way executors, managers and drivers know about each other.</summary>
public sealed class ExecutorRegistry(SparkStorage storage)
{
    /// <summary>Every heartbeat (one listing and one read each, in parallel).</summary>
    public async Task<IReadOnlyList<(ExecutorHeartbeat Heartbeat, ETag ETag)>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Container.GetBlobsAsync(prefix: StorageLayout.ExecutorsPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            names.Add(blob.Name);
        var found = new (ExecutorHeartbeat, ETag)?[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                var content = await storage.Container.GetBlobClient(names[i]).DownloadContentAsync(ct).ConfigureAwait(false);
                found[i] = (SparkJson.FromBinary<ExecutorHeartbeat>(content.Value.Content), content.Value.Details.ETag);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Removed between the listing and the read.
            }
        }).ConfigureAwait(false);
        return [.. found.OfType<(ExecutorHeartbeat, ETag)>()];
    }

    /// <summary>Writes a heartbeat (overwriting the last one).</summary>
    public async Task WriteAsync(ExecutorHeartbeat heartbeat, CancellationToken cancellationToken) =>
        await storage.Container.GetBlobClient(StorageLayout.Heartbeat(heartbeat.ExecutorId))
            .UploadAsync(SparkJson.ToBinary(heartbeat), overwrite: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Marks an executor lost, unless its heartbeat changed since it was read (it came back).</summary>
    public async Task<bool> TryMarkLostAsync(ExecutorHeartbeat heartbeat, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            var lost = heartbeat with { Status = ExecutorStatus.Lost };
            await storage.Container.GetBlobClient(StorageLayout.Heartbeat(heartbeat.ExecutorId)).UploadAsync(SparkJson.ToBinary(lost),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = etag } }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Removes a heartbeat that no longer matters (a stopped or long-lost executor).</summary>
    public async Task RemoveAsync(string executorId, CancellationToken cancellationToken) =>
        await storage.Container.DeleteBlobIfExistsAsync(StorageLayout.Heartbeat(executorId), cancellationToken: cancellationToken).ConfigureAwait(false);
}

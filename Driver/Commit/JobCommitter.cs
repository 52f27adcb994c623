using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>
/// The job commit: for each action, promote the committed attempt of every partition to <c>path/part-NNNNN</c>
/// and write <c>path/_SUCCESS</c> last. Idempotent: a manifest of this job means the action is done; anything
/// less is redone from the commit markers.
/// </summary>
public sealed class JobCommitter(SparkStorage storage, JobStore store, CommitMarkers markers, TimeProvider time, ILogger<JobCommitter> logger)
{
    private const int Parallelism = 8;

    /// <summary>Commits every action of the job.</summary>
    public async Task CommitAsync(JobState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var plan = await store.GetPlanAsync(state.JobId, cancellationToken).ConfigureAwait(false);
        foreach (var action in plan.Actions)
        {
            if (action.Kind != "saveAsTextFile")
                throw new InvalidOperationException($"No job commit for action '{action.Kind}'.");
            await CommitDatasetAsync(plan, action, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CommitDatasetAsync(JobPlan plan, ActionInfo action, CancellationToken cancellationToken)
    {
        var destination = BlobPath.Parse(action.Path!);
        var container = storage.GetContainer(destination.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var existing = await DatasetFolder.TryReadManifestAsync(container, destination.Name, cancellationToken).ConfigureAwait(false);
        if (existing?.JobId == plan.JobId) return;
        if (existing is not null)
        {
            // Readers trust the manifest: remove the old one before its parts change under it.
            await DatasetFolder.ManifestBlob(container, destination.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (action.Overwrite) await DeleteFolderAsync(container, destination.Name, cancellationToken).ConfigureAwait(false);
        }

        var stage = plan.Stages[action.StageId];
        var committed = await markers.ReadAsync(plan.JobId, stage.Id, stage.NumPartitions, cancellationToken).ConfigureAwait(false);
        var parts = new DatasetPart[committed.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, committed.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            string name = StorageLayout.PartName(p);
            var source = storage.Container.GetBlobClient(committed[p].Files[0]);
            await CopyAsync(source, container.GetBlobClient($"{destination.Name}/{name}"), ct).ConfigureAwait(false);
            parts[p] = new DatasetPart(name, committed[p].Records, committed[p].Bytes);
        }).ConfigureAwait(false);

        var manifest = new DatasetManifest { JobId = plan.JobId, JobName = plan.Name, Format = "text", CommittedAt = time.GetUtcNow(), Parts = parts };
        await DatasetFolder.ManifestBlob(container, destination.Name).UploadAsync(SparkJson.ToBinary(manifest), overwrite: true, cancellationToken).ConfigureAwait(false);
        Logs.DatasetCommitted(logger, plan.JobId, action.Path!, parts.Length, manifest.Records);
    }

    private static async Task DeleteFolderAsync(BlobContainerClient container, string folder, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(prefix: folder + "/", cancellationToken: cancellationToken).ConfigureAwait(false))
            names.Add(blob.Name);
        await Parallel.ForEachAsync(names, cancellationToken, async (name, ct) =>
            await container.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>A server-side copy: the bytes never pass through the driver.</summary>
    private static async Task CopyAsync(BlobClient source, BlobClient destination, CancellationToken cancellationToken)
    {
        // A SAS authorizes the read of the source wherever the account key is at hand (Azurite, connection strings).
        var uri = source.CanGenerateSasUri ? source.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) : source.Uri;
        var operation = await destination.StartCopyFromUriAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }
}

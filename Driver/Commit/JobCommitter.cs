using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>
/// The job commit. For each save, promote the committed attempt of every partition to <c>path/part-NNNNN</c> and
/// write <c>path/_SUCCESS</c> last; gather collected results, counts and countByKey into <c>results.json</c>; and
/// publish the manifest of every named persisted dataset whose partitions are all stored. Idempotent: a dataset
/// manifest of this job means that save is done, and everything else is rewritten from the commit markers. While a
/// save is being promoted its folder holds <c>_COMMITTING</c>, so readers never take its parts for a dataset.
/// </summary>
public sealed class JobCommitter(SparkStorage storage, JobStore store, CommitMarkers markers, IOptions<DriverOptions> options, TimeProvider time, ILogger<JobCommitter> logger)
{
    private const int Parallelism = 8;

    /// <summary>Commits every action of the job.</summary>
    /// <returns>Null when committed; otherwise why the job must fail (a collected result over its size limit).</returns>
    public async Task<string?> CommitAsync(JobState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var plan = await store.GetPlanAsync(state.JobId, cancellationToken).ConfigureAwait(false);
        var actions = plan.Actions.Where(a => a.Kind != "broadcast").ToList();
        var markersByStage = new Dictionary<int, CommitMarker[]>();
        foreach (var action in actions)
            markersByStage[action.StageId] = await markers.ReadAsync(plan.JobId, state.Stages[action.StageId], cancellationToken).ConfigureAwait(false);

        // Checked before anything becomes visible: a job that fails here must leave no dataset behind.
        long collectedBytes = actions.Where(a => a.Kind is "collect" or "take" or "countByKey").Sum(a => markersByStage[a.StageId].Sum(m => m.Bytes));
        if (collectedBytes > plan.Settings.MaxResultBytes)
            return $"The collected results are {collectedBytes:N0} bytes, more than maxResultBytes ({plan.Settings.MaxResultBytes:N0}); save large results with saveAsTextFile instead.";

        var outputs = new List<ActionOutput>();
        foreach (var action in actions)
        {
            var committed = markersByStage[action.StageId];
            switch (action.Kind)
            {
                case "saveAsTextFile" or "saveAsJsonLines":
                    var manifest = await CommitDatasetAsync(plan, action, committed, cancellationToken).ConfigureAwait(false);
                    outputs.Add(new ActionOutput(action.Name, action.Kind, action.Path, manifest));
                    break;
                case "count":
                    outputs.Add(new ActionOutput(action.Name, action.Kind, Value: JsonValue.Create(committed.Sum(m => m.Records))));
                    break;
                case "collect" or "take" or "countByKey":
                    outputs.Add(new ActionOutput(action.Name, action.Kind, Value: await GatherAsync(action, committed, cancellationToken).ConfigureAwait(false)));
                    break;
                default:
                    throw new InvalidOperationException($"No job commit for action '{action.Kind}'.");
            }
        }
        await PublishPersistedAsync(plan, cancellationToken).ConfigureAwait(false);
        await storage.Container.GetBlobClient(StorageLayout.Results(plan.JobId))
            .UploadAsync(SparkJson.ToBinary(new JobResults(plan.JobId, outputs)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Whether the job's commit has finished: its results file is written last.</summary>
    public async Task<bool> IsCommittedAsync(string jobId, CancellationToken cancellationToken) =>
        (await storage.Container.GetBlobClient(StorageLayout.Results(jobId)).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    private async Task<DatasetManifest> CommitDatasetAsync(JobPlan plan, ActionInfo action, CommitMarker[] committed, CancellationToken cancellationToken)
    {
        var destination = BlobPath.Parse(action.Path!);
        var container = storage.GetContainer(destination.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var committing = DatasetFolder.CommittingBlob(container, destination.Name);
        var existing = await DatasetFolder.TryReadManifestAsync(container, destination.Name, cancellationToken).ConfigureAwait(false);
        if (existing?.JobId == plan.JobId)
        {
            // Committed before; a driver that died just after _SUCCESS may have left the marker.
            await committing.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return existing;
        }
        await committing.UploadAsync(SparkJson.ToBinary(new { jobId = plan.JobId }), overwrite: true, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            // Readers trust the manifest: remove the old one before its parts change under it.
            await DatasetFolder.ManifestBlob(container, destination.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (action.Overwrite) await DeleteFolderAsync(container, destination.Name + "/", committing.Name, cancellationToken).ConfigureAwait(false);
        }

        var parts = new DatasetPart[committed.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, committed.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            string name = StorageLayout.PartName(p);
            var source = storage.Container.GetBlobClient(committed[p].Files[0]);
            await CopyAsync(source, container.GetBlobClient($"{destination.Name}/{name}"), ct).ConfigureAwait(false);
            parts[p] = new DatasetPart(name, committed[p].Records, committed[p].Bytes);
        }).ConfigureAwait(false);

        if (options.Value.KillDuringCommit)
            TestSwitches.KillThisDriver($"Job {plan.JobId}: Driver:KillDuringCommit is set; killing this driver in the middle of the job commit");
        string format = action.Kind == "saveAsJsonLines" ? "jsonLines" : "text";
        var manifest = new DatasetManifest { JobId = plan.JobId, JobName = plan.Name, Format = format, CommittedAt = time.GetUtcNow(), Parts = parts };
        await DatasetFolder.ManifestBlob(container, destination.Name).UploadAsync(SparkJson.ToBinary(manifest), overwrite: true, cancellationToken).ConfigureAwait(false);
        await committing.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        Logs.DatasetCommitted(logger, plan.JobId, action.Path!, parts.Length, manifest.Records);
        return manifest;
    }

    /// <summary>Joins the partitions' JSON lines, in partition order, into the action's value.</summary>
    private async Task<JsonNode> GatherAsync(ActionInfo action, CommitMarker[] committed, CancellationToken cancellationToken)
    {
        var texts = new string[committed.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, committed.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            var content = await storage.Container.GetBlobClient(committed[p].Files[0]).DownloadContentAsync(ct).ConfigureAwait(false);
            texts[p] = Encoding.UTF8.GetString(content.Value.Content.ToMemory().Span);
        }).ConfigureAwait(false);
        var records = texts.SelectMany(t => t.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(line => JsonNode.Parse(line));
        if (action.Kind == "take") records = records.Take(action.Limit ?? 0);
        if (action.Kind != "countByKey") return new JsonArray([.. records]);
        var counts = new JsonObject();
        foreach (var pair in records)
        {
            var key = pair![0];
            string name = key is JsonValue v && v.TryGetValue<string>(out var s) ? s : key?.ToJsonString() ?? "null";
            counts[name] = pair[1]!.DeepClone();
        }
        return counts;
    }

    /// <summary>A named persisted dataset becomes readable by later jobs once every one of its partitions is stored.</summary>
    private async Task PublishPersistedAsync(JobPlan plan, CancellationToken cancellationToken)
    {
        foreach (var (nodeId, persisted) in plan.Persisted.Where(p => p.Value.Name is not null))
        {
            int partitions = plan.Nodes[nodeId].NumPartitions;
            int stored = 0;
            await foreach (var _ in storage.Container.GetBlobsAsync(prefix: persisted.Folder + "/part-", cancellationToken: cancellationToken).ConfigureAwait(false)) stored++;
            if (stored != partitions) continue;
            var manifest = new PersistedManifest
            {
                Name = persisted.Name!,
                JobId = plan.JobId,
                Folder = persisted.Folder,
                Partitions = partitions,
                ElementType = persisted.ElementType,
                CSharpType = persisted.CSharpType,
                CommittedAt = time.GetUtcNow(),
            };
            await storage.Container.GetBlobClient(StorageLayout.PersistManifest(persisted.Name!))
                .UploadAsync(SparkJson.ToBinary(manifest), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteFolderAsync(BlobContainerClient container, string prefix, string keep, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            if (blob.Name != keep) names.Add(blob.Name);
        await Parallel.ForEachAsync(names, cancellationToken, async (name, ct) =>
            await container.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>A server-side copy: the bytes never pass through the driver.</summary>
    private async Task CopyAsync(BlobClient source, BlobClient destination, CancellationToken cancellationToken)
    {
        // A SAS authorizes the read of the source wherever the account key is at hand (Azurite, connection strings).
        var uri = source.CanGenerateSasUri ? source.GenerateSasUri(BlobSasPermissions.Read, time.GetUtcNow().AddHours(1)) : source.Uri;
        var operation = await destination.StartCopyFromUriAsync(uri, cancellationToken: cancellationToken).ConfigureAwait(false);
        await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }
}

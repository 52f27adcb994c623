using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// Reads and writes a job's state blob with ETag compare-and-swap, keeps the marker of each job that has not
/// ended, and caches the (immutable) plans and the last state it read or wrote of each job. States it returns
/// are shared: callers read them and never change them (the orchestrator applies events to a copy).
/// </summary>
public sealed class JobStore(SparkStorage storage)
{
    private readonly ConcurrentDictionary<string, JobPlan> _plans = new();
    private readonly ConcurrentDictionary<string, (JobState State, ETag ETag)> _states = new();

    /// <summary>The job's state and its ETag, or null when there is no such job.</summary>
    /// <remarks>
    /// Always asks the blob, so any driver may have written it; but when it still has the ETag of the copy held here
    /// the answer is a bodiless 304 and the copy is used: a big job's state is megabytes of JSON, and the control
    /// loop reads it for every batch of events.
    /// </remarks>
    public async Task<(JobState State, ETag ETag)?> LoadAsync(string jobId, CancellationToken cancellationToken)
    {
        var cached = _states.TryGetValue(jobId, out var held) ? held : ((JobState State, ETag ETag)?)null;
        var options = new BlobDownloadOptions { Conditions = cached is { } c ? new BlobRequestConditions { IfNoneMatch = c.ETag } : null };
        try
        {
            var result = await storage.Container.GetBlobClient(StorageLayout.State(jobId)).DownloadContentAsync(options, cancellationToken).ConfigureAwait(false);
            // A 304 comes back as a response without a body (its Value throws), not as an exception.
            if (result.GetRawResponse().Status == 304 && cached is { } same) return same;
            return Remember(jobId, SparkJson.FromBinary<JobState>(result.Value.Content), result.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            _states.TryRemove(jobId, out _);
            return null;
        }
    }

    private (JobState State, ETag ETag) Remember(string jobId, JobState state, ETag etag)
    {
        // Only running jobs are read over and over; an ended job's state is read rarely and need not stay.
        if (state.IsTerminal) _states.TryRemove(jobId, out _);
        else _states[jobId] = (state, etag);
        return (state, etag);
    }

    /// <summary>Creates the state blob of a new job (fails if one exists) and, unless it ended already, its running marker.</summary>
    public async Task<ETag> CreateAsync(JobState state, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        var result = await storage.Container.GetBlobClient(StorageLayout.State(state.JobId)).UploadAsync(SparkJson.ToBinary(state), options, cancellationToken).ConfigureAwait(false);
        if (!state.IsTerminal)
            await storage.Container.GetBlobClient(StorageLayout.RunningMarker(state.JobId)).UploadAsync(new BinaryData(ReadOnlyMemory<byte>.Empty), overwrite: true, cancellationToken).ConfigureAwait(false);
        return result.Value.ETag;
    }

    /// <summary>Every job's id, newest first (ids sort by submission time).</summary>
    public async Task<IReadOnlyList<string>> ListJobIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in storage.Container.GetBlobsByHierarchyAsync(delimiter: "/", prefix: StorageLayout.JobsPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            if (item.IsPrefix) ids.Add(item.Prefix[StorageLayout.JobsPrefix.Length..].TrimEnd('/'));
        ids.Sort(StringComparer.Ordinal);
        ids.Reverse();
        return ids;
    }

    /// <summary>The ids of jobs whose running marker exists (submitted and not yet seen to end).</summary>
    public async Task<IReadOnlyList<string>> ListRunningAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var blob in storage.Container.GetBlobsAsync(prefix: StorageLayout.RunningPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            ids.Add(blob.Name[StorageLayout.RunningPrefix.Length..]);
        return ids;
    }

    /// <summary>Writes the state if the blob still has <paramref name="ifMatch"/>; null when another writer got there first.</summary>
    public async Task<ETag?> TrySaveAsync(JobState state, ETag ifMatch, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = ifMatch } };
        try
        {
            var result = await storage.Container.GetBlobClient(StorageLayout.State(state.JobId)).UploadAsync(SparkJson.ToBinary(state), options, cancellationToken).ConfigureAwait(false);
            Remember(state.JobId, state, result.Value.ETag);
            return result.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>The job's plan (read once; plans never change).</summary>
    public async Task<JobPlan> GetPlanAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue(jobId, out var plan)) return plan;
        var content = await storage.Container.GetBlobClient(StorageLayout.Plan(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        plan = SparkJson.FromBinary<JobPlan>(content.Value.Content);
        return _plans.GetOrAdd(jobId, plan);
    }

    /// <summary>A job ended: removes its running marker and forgets its cached plan.</summary>
    public async Task EndedAsync(string jobId, CancellationToken cancellationToken)
    {
        _plans.TryRemove(jobId, out _);
        _states.TryRemove(jobId, out _);
        await storage.Container.DeleteBlobIfExistsAsync(StorageLayout.RunningMarker(jobId), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

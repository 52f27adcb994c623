using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Loading;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// Downloads each job's plan and application once, loads the application (and its dependencies) into its own
/// collectible context, builds it and checks its plan hash against the driver's; unloads it when the job ends or
/// its tasks stop coming.
/// </summary>
internal sealed class JobRuntimeCache(SparkStorage storage, IOptions<ExecutorOptions> options, TimeProvider time, ILogger<JobRuntimeCache> logger) : IDisposable
{
    private const int MaxEndedJobs = 10_000;
    private readonly ConcurrentDictionary<string, Lazy<Task<JobRuntime>>> _jobs = new();
    private readonly ConcurrentDictionary<string, string> _ended = new(StringComparer.Ordinal);

    /// <summary>The jobs whose applications are loaded.</summary>
    public IReadOnlyCollection<string> LoadedJobs => [.. _jobs.Keys];

    /// <summary>The job's runtime, loading it on first use.</summary>
    /// <exception cref="PlanMismatchException">This executor's build of the application differs from the driver's plan.</exception>
    public async Task<JobRuntime> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        var entry = _jobs.GetOrAdd(jobId, id => new Lazy<Task<JobRuntime>>(() => LoadAsync(id, CancellationToken.None)));
        try
        {
            var runtime = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            runtime.LastUsed = time.GetUtcNow();
            return runtime;
        }
        catch
        {
            // A failed load is not cached: the next attempt may find what was missing.
            _jobs.TryRemove(new KeyValuePair<string, Lazy<Task<JobRuntime>>>(jobId, entry));
            throw;
        }
    }

    /// <summary>Unloads the applications of jobs that ended, or whose last task ran longer ago than <see cref="ExecutorOptions.AppIdleSeconds"/>.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.AppIdleSeconds);
        foreach (var (jobId, entry) in _jobs)
        {
            if (!entry.IsValueCreated || !entry.Value.IsCompletedSuccessfully) continue;
            var runtime = entry.Value.Result;
            string? reason = runtime.LastUsed < cutoff ? "idle" : await EndedAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (reason is null || !_jobs.TryRemove(new KeyValuePair<string, Lazy<Task<JobRuntime>>>(jobId, entry))) continue;
            runtime.Dispose();
            Logs.AppUnloaded(logger, jobId, reason);
        }
    }

    /// <summary>Why the job ended, if this executor has already seen it end (no storage request).</summary>
    public string? KnownEnded(string jobId) => _ended.GetValueOrDefault(jobId);

    /// <summary>Why the job ended (<c>job completed</c>…), or null while it runs. An ended job is remembered.</summary>
    public async Task<string?> EndedAsync(string jobId, CancellationToken cancellationToken)
    {
        if (KnownEnded(jobId) is { } known) return known;
        string? reason;
        try
        {
            var content = await storage.Container.GetBlobClient(StorageLayout.State(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            using var state = JsonDocument.Parse(content.Value.Content.ToMemory());
            string? status = state.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
            reason = status is "completed" or "failed" or "canceled" ? $"job {status}" : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            reason = "job deleted";
        }
        if (reason is not null)
        {
            // A bound, not a cache policy: ids are small, but an executor may live through very many jobs.
            if (_ended.Count >= MaxEndedJobs) _ended.Clear();
            _ended[jobId] = reason;
        }
        return reason;
    }

    private async Task<JobRuntime> LoadAsync(string jobId, CancellationToken cancellationToken)
    {
        var planContent = await storage.Container.GetBlobClient(StorageLayout.Plan(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        var plan = SparkJson.FromBinary<JobPlan>(planContent.Value.Content);
        var app = await DownloadAsync(plan.AppBlob, cancellationToken).ConfigureAwait(false);
        var dependencies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, blob) in plan.AppDependencies) dependencies[name] = await DownloadAsync(blob, cancellationToken).ConfigureAwait(false);
        var loaded = LoadedJob.Load(app, plan.AppType, jobId, dependencies);
        try
        {
            JobPlanner.BindToPlan(loaded.Context, plan, storage);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
        Logs.AppLoaded(logger, jobId, plan.AppBlob);
        return new JobRuntime(plan, loaded, JobRuntime.NewEnvironment(options.Value)) { LastUsed = time.GetUtcNow() };
    }

    private async Task<byte[]> DownloadAsync(string blob, CancellationToken cancellationToken) =>
        (await storage.Container.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();

    /// <summary>Unloads every job.</summary>
    public void Dispose()
    {
        foreach (var entry in _jobs.Values)
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully) entry.Value.Result.Dispose();
        _jobs.Clear();
    }
}

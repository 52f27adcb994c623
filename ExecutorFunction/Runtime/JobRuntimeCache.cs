using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Loading;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// Downloads each job's plan and application once, loads the application into its own collectible context,
/// builds it and checks its plan hash against the driver's; unloads it when the job's tasks stop coming.
/// </summary>
internal sealed class JobRuntimeCache(SparkStorage storage, IOptions<ExecutorOptions> options, TimeProvider time, ILogger<JobRuntimeCache> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<JobRuntime>>> _jobs = new();

    /// <summary>The job's runtime, loading it on first use.</summary>
    /// <exception cref="PlanMismatchException">This executor's build of the application differs from the driver's plan.</exception>
    public async Task<JobRuntime> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        EvictIdle();
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

    private async Task<JobRuntime> LoadAsync(string jobId, CancellationToken cancellationToken)
    {
        var planContent = await storage.Container.GetBlobClient(StorageLayout.Plan(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        var plan = SparkJson.FromBinary<JobPlan>(planContent.Value.Content);
        var app = await storage.Container.GetBlobClient(plan.AppBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        var loaded = LoadedJob.Load(app.Value.Content.ToArray(), plan.AppType, jobId);
        try
        {
            JobPlanner.BindToPlan(loaded.Context, plan);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
        Logs.AppLoaded(logger, jobId, plan.AppBlob);
        return new JobRuntime(plan, loaded) { LastUsed = time.GetUtcNow() };
    }

    /// <summary>Unloads jobs whose last task ran longer ago than <see cref="ExecutorOptions.AppIdleSeconds"/>.</summary>
    private void EvictIdle()
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.AppIdleSeconds);
        foreach (var (jobId, entry) in _jobs)
        {
            if (!entry.IsValueCreated || !entry.Value.IsCompletedSuccessfully) continue;
            var runtime = entry.Value.Result;
            if (runtime.LastUsed >= cutoff) continue;
            if (_jobs.TryRemove(new KeyValuePair<string, Lazy<Task<JobRuntime>>>(jobId, entry)))
            {
                runtime.Dispose();
                Logs.AppUnloaded(logger, jobId);
            }
        }
    }

    /// <summary>Unloads every job.</summary>
    public void Dispose()
    {
        foreach (var entry in _jobs.Values)
            if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully) entry.Value.Result.Dispose();
        _jobs.Clear();
    }
}

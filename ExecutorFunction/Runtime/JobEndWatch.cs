using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// Watches a running task's job: once the job has ended (canceled, failed, or finished by another attempt's
/// success), the task is canceled and stops at its next record instead of running on for nothing.
/// </summary>
internal sealed class JobEndWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private JobEndWatch(JobRuntimeCache runtimes, string jobId, string task, TimeSpan interval, CancellationTokenSource cancelTask, ILogger logger) =>
        _loop = WatchAsync(runtimes, jobId, task, interval, cancelTask, logger);

    /// <summary>Starts watching; <paramref name="cancelTask"/> is canceled when the job ends.</summary>
    public static JobEndWatch Start(JobRuntimeCache runtimes, string jobId, string task, TimeSpan interval, CancellationTokenSource cancelTask, ILogger logger) =>
        new(runtimes, jobId, task, interval, cancelTask, logger);

    private async Task WatchAsync(JobRuntimeCache runtimes, string jobId, string task, TimeSpan interval, CancellationTokenSource cancelTask, ILogger logger)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                if (await runtimes.EndedAsync(jobId, _stop.Token).ConfigureAwait(false) is not null)
                {
                    Logs.JobEndedUnderTask(logger, task);
                    await cancelTask.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed look is only a missed chance to stop early; look again next period.
            }
        }
    }

    /// <summary>Stops watching.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

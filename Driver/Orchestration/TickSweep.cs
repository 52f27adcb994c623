using Spark.Serverless.Messaging;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// The periodic sweep of jobs that have not ended (the Functions timer trigger runs it): each gets a
/// <see cref="Tick"/> without a timer sequence, which looks for lost tasks and stragglers and restarts the job's own
/// timer only if that looks broken. A job found ended loses its running marker.
/// </summary>
public sealed class TickSweep(JobStore store, JobProcessor processor, TimeProvider time, ILogger<TickSweep> logger)
{
    /// <summary>Sweeps every running job; returns how many were swept.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var ids = await store.ListRunningAsync(cancellationToken).ConfigureAwait(false);
        int swept = 0;
        foreach (string jobId in ids)
        {
            try
            {
                var state = await processor.ProcessAsync(jobId, [new Tick { JobId = jobId, At = time.GetUtcNow() }], cancellationToken).ConfigureAwait(false);
                // A marker whose job state is gone (deleted, or a submission that died half-way) means nothing.
                if (state is null) await store.EndedAsync(jobId, cancellationToken).ConfigureAwait(false);
                swept++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One job's trouble must not stop the sweep of the others; the next sweep tries it again.
                Logs.ProcessingFailed(logger, jobId, e);
            }
        }
        return swept;
    }
}

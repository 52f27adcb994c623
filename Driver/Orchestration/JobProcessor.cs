using Azure;
using Polly;
using Polly.Retry;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// The shell around the <see cref="Orchestrator"/>: load the state with its ETag, apply the events, write the new
/// state with If-Match (reload and apply again on conflict), carry out the outbox, and record the commands as done
/// through the same state machine. A driver that dies anywhere in here leaves work another driver finishes.
/// </summary>
public sealed class JobProcessor(JobStore store, CommandRunner runner, TimeProvider time, ILogger<JobProcessor> logger)
{
    private const int MaxConflicts = 100;

    /// <summary>Applies a batch of one job's events and carries out what they decided.</summary>
    /// <returns>The state after everything ran, or null when the job does not exist.</returns>
    public async Task<JobState?> ProcessAsync(string jobId, IReadOnlyList<ControlEvent> events, CancellationToken cancellationToken)
    {
        var applied = await ApplyAsync(jobId, events, cancellationToken).ConfigureAwait(false);
        if (applied is null)
        {
            Logs.UnknownJob(logger, jobId, events.Count);
            return null;
        }
        var state = applied.Value.State;
        bool leftToAnother = false;
        while (state.Outbox.Count > 0 && !leftToAnother)
        {
            var done = new List<long>();
            var followUps = new List<ControlEvent>();
            foreach (var command in state.Outbox.ToList())
            {
                var outcome = await runner.RunAsync(state, command, cancellationToken).ConfigureAwait(false);
                if (outcome is null)
                {
                    // Another driver is carrying it out and records it when done; a driver that dies doing so lets its
                    // lease run out, and the job's next timer tick finds the command still in the outbox.
                    leftToAnother = true;
                    continue;
                }
                followUps.AddRange(outcome);
                done.Add(command.Id);
            }
            if (done.Count == 0) break;
            followUps.Add(new CommandsCompleted { JobId = jobId, At = time.GetUtcNow(), CommandIds = done });
            applied = await ApplyAsync(jobId, followUps, cancellationToken).ConfigureAwait(false);
            if (applied is null) return null;
            state = applied.Value.State;
        }
        if (state.IsTerminal) await store.EndedAsync(jobId, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>Load, apply, write with If-Match; a lost race reloads and applies again (Polly, with jittered backoff).</summary>
    private async Task<(JobState State, ETag ETag)?> ApplyAsync(string jobId, IReadOnlyList<ControlEvent> events, CancellationToken cancellationToken)
    {
        int attempt = 0;
        return await Conflicts.ExecuteAsync(async ct =>
        {
            attempt++;
            var loaded = await store.LoadAsync(jobId, ct).ConfigureAwait(false);
            if (loaded is null) return ((JobState, ETag)?)null;
            var transition = Orchestrator.Apply(loaded.Value.State, events);
            if (!transition.Changed) return loaded;
            var etag = await store.TrySaveAsync(transition.State, loaded.Value.ETag, ct).ConfigureAwait(false);
            if (etag is null)
            {
                Logs.StateConflict(logger, jobId, attempt);
                throw new StateConflictException(jobId);
            }
            var previous = loaded.Value.State.Status;
            if (transition.State.Status != previous) Logs.JobStatusChanged(logger, jobId, previous, transition.State.Status, transition.State.Error);
            return (transition.State, etag.Value);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Another driver wrote the job's state between our read and our write.</summary>
    private sealed class StateConflictException(string jobId) : Exception($"Job {jobId}: the state changed under this driver.");

    private static readonly ResiliencePipeline Conflicts = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<StateConflictException>(),
            MaxRetryAttempts = MaxConflicts,
            Delay = TimeSpan.FromMilliseconds(5),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromMilliseconds(250),
        })
        .Build();
}

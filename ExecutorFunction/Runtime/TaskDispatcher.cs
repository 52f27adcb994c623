using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Executor.Cluster;
using Spark.Serverless.Executor.Logging;
using Spark.Serverless.Messaging;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// What both triggers do with a task message, whichever delivered it (this executor's own queue listener, or the
/// Functions host through the custom handler): read it, refuse one delivered too often, run it while watching its
/// job, and keep the heartbeat's list of running tasks.
/// </summary>
internal sealed class TaskDispatcher(SparkStorage storage, TaskRunner runner, JobRuntimeCache runtimes, RunningTasks running, IOptions<ExecutorOptions> options, TimeProvider time, ILogger<TaskDispatcher> logger)
{
    /// <summary>Reads a message body as its tasks (one task message, or a bundle); null, with the reason, when it is neither.</summary>
    public static IReadOnlyList<TaskMessage>? TryRead(BinaryData body, out string? error)
    {
        try
        {
            error = null;
            return TaskBundle.Read(body);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>How many of a bundle's tasks run at once within its one slot.</summary>
    private const int BundleConcurrency = 4;

    /// <summary>
    /// Runs a message's tasks, a bundle's a few at a time within its one slot, and returns the one event that reports
    /// them all, or, when the message was delivered too often, fails them all without running any.
    /// </summary>
    /// <param name="tasks">The message's tasks.</param>
    /// <param name="dequeueCount">How often the queue has delivered the message.</param>
    /// <param name="cancellationToken">Stops the tasks.</param>
    /// <returns>The report, and whether the message belongs on the poison queue.</returns>
    public async Task<(ControlEvent Report, bool Poison)> RunMessageAsync(IReadOnlyList<TaskMessage> tasks, long dequeueCount, CancellationToken cancellationToken)
    {
        // The tasks of one message share its delivery count: too many fails them all.
        if (TooManyDeliveries(tasks[0], dequeueCount) is not null)
            return (TaskReports.Of([.. tasks.Select(t => (ControlEvent)TooManyDeliveries(t, dequeueCount)!)]), true);
        long started = Stopwatch.GetTimestamp();
        var outcomes = new ControlEvent[tasks.Count];
        var logsSaved = new Task[tasks.Count];
        // A bundle holds tasks that proved to run for milliseconds: most of each one's time is its commit marker's
        // round trip, so a few overlap. Their memory is small, which is what a slot otherwise guards.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = BundleConcurrency, CancellationToken = CancellationToken.None };
        await Parallel.ForEachAsync(Enumerable.Range(0, tasks.Count), parallel, async (i, _) =>
        {
            // The log upload is a round trip of its own: it need not hold up the next task.
            (outcomes[i], logsSaved[i]) = await RunOneAsync(tasks[i], dequeueCount, bundled: tasks.Count > 1, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await Task.WhenAll(logsSaved).ConfigureAwait(false);
        CollectWhatTasksLeft(Stopwatch.GetElapsedTime(started));
        return (TaskReports.Of(outcomes), false);
    }

    /// <summary>A heap larger than this after a message's tasks is collected in full before the next message runs.</summary>
    private const long LeftoverHeapBytes = 64L << 20;

    /// <summary>The same for a message whose tasks ran at least <see cref="LongMessage"/>, which a collection hardly delays.</summary>
    private const long LongMessageLeftoverHeapBytes = 16L << 20;

    /// <summary>Tasks this long ran on data: their leftovers are buffers that the next task would otherwise allocate beside.</summary>
    private static readonly TimeSpan LongMessage = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Collects the heap in full when the tasks just run left a lot on it. A sort, grouping or join holds its
    /// partition in large arrays that die when it ends, and the collector would otherwise reclaim them only after the
    /// next task had allocated as much again: the executor's peak memory was two tasks' worth (a Sort reducer peaked
    /// at 486 MB). Short tasks leave little and pay nothing: none of 225 messages of the bench's no-op and trivial jobs
    /// found more than 42 MB. In the 1 GB Sort and join, 24 of 81 messages were followed by one, of 7-28 ms, against
    /// tasks of seconds. Tasks of a second or more are held to less: a sortBy map task leaves about 30 MB of run
    /// buffers in the large-object heap, and the next one's came beside them (58 MB of it during the 1 GB Sort's map
    /// stage). Sort-only runs peaked at 166-189 MB with this (ten runs) and 183-197 MB without it (three).
    /// </summary>
    private static void CollectWhatTasksLeft(TimeSpan ran)
    {
        long limit = ran >= LongMessage ? LongMessageLeftoverHeapBytes : LeftoverHeapBytes;
        if (GC.GetTotalMemory(forceFullCollection: false) > limit)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// The failure to report for a message delivered more often than <see cref="ExecutorOptions.MaxDequeueCount"/>
    /// (every earlier delivery died without reporting), or null when it may run. The caller moves it to the poison queue.
    /// </summary>
    public TaskFailed? TooManyDeliveries(TaskMessage task, long dequeueCount)
    {
        int limit = options.Value.MaxDequeueCount;
        if (dequeueCount <= limit) return null;
        var error = new TaskError("PoisonMessage", $"Task message was delivered {dequeueCount} times without completing (limit {limit}); moved to {storage.Options.PoisonQueue}.", null, "lost");
        return TaskEvents.Failed(task, options.Value.Id, time.GetUtcNow(), error, null);
    }

    /// <summary>
    /// Runs the task (canceled if its job ends meanwhile); returns the event to report and the still running save of
    /// its log. Its log lines carry the task's ids as a scope, and what it logged is stored with the job.
    /// </summary>
    /// <remarks>
    /// A bundled task that succeeded and logged nothing but the runner's routine lines stores no log: that upload
    /// would be the only storage request of a short task besides its commit marker.
    /// </remarks>
    private async Task<(TaskEvent Outcome, Task LogSaved)> RunOneAsync(TaskMessage task, long dequeueCount, bool bundled, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var tracked = running.Track(task);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["JobId"] = task.JobId,
            ["StageId"] = task.StageId,
            ["StageAttempt"] = task.StageAttempt,
            ["Partition"] = task.Partition,
            ["Attempt"] = task.Attempt,
            ["ExecutorId"] = options.Value.Id,
        });
        // Set here, in this async flow: the task's thread and everything it starts see it; the caller does not.
        var log = new TaskLogBuffer();
        TaskLogBuffer.Current = log;
        TaskEvent outcome;
        await using (JobEndWatch.Start(runtimes, task.JobId, task.ToString(), TimeSpan.FromSeconds(options.Value.JobCheckIntervalSeconds), cancel, logger))
            outcome = await runner.RunAsync(task, dequeueCount, cancel.Token).ConfigureAwait(false);
        TaskLogBuffer.Current = null;
        if (outcome is TaskFailed { Error: var error }) log.AppendLine($"Task failed: {error.Type}: {error.Message}\n{error.StackTrace}");
        bool routine = bundled && outcome is TaskSucceeded && !log.Noteworthy;
        return (outcome, routine ? Task.CompletedTask : SaveLogAsync(task, log));
    }

    /// <summary>Stores what an attempt logged (nothing when no attempt ran); a failure to store it costs only the log.</summary>
    private async Task SaveLogAsync(TaskMessage task, TaskLogBuffer log)
    {
        if (log.AttemptId is null) return;
        try
        {
            string text = $"# task {task} attempt {log.AttemptId} on executor {options.Value.Id}\n{log.Text}";
            await storage.Container.GetBlobClient(StorageLayout.TaskLog(task.JobId, task.StageId, task.StageAttempt, task.Partition, log.AttemptId))
                .UploadAsync(BinaryData.FromString(text), overwrite: true).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Logs.TaskLogFailed(logger, task.ToString(), e);
        }
    }

    /// <summary>Moves a message body to the poison queue.</summary>
    public async Task PoisonAsync(BinaryData body, CancellationToken cancellationToken) =>
        await storage.Poison.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
}

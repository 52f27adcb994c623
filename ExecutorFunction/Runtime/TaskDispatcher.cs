using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Executor.Cluster;
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
    /// <summary>Reads a message body as a task message; null, with the reason, when it is not one.</summary>
    public static TaskMessage? TryRead(BinaryData body, out string? error)
    {
        try
        {
            error = null;
            return SparkJson.FromBinary<TaskMessage>(body);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            error = e.Message;
            return null;
        }
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

    /// <summary>Runs the task (canceled if its job ends meanwhile) and returns the event to report.</summary>
    public async Task<TaskEvent> RunAsync(TaskMessage task, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var tracked = running.Track(task);
        await using var watch = JobEndWatch.Start(runtimes, task.JobId, task.ToString(), TimeSpan.FromSeconds(options.Value.JobCheckIntervalSeconds), cancel, logger);
        return await runner.RunAsync(task, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>Moves a message body to the poison queue.</summary>
    public async Task PoisonAsync(BinaryData body, CancellationToken cancellationToken) =>
        await storage.Poison.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
}

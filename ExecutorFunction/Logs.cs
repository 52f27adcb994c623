using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Executor;

/// <summary>The executor's log messages, with stable event ids and structured fields.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Executor {ExecutorId} started with {Slots} slots on queue {Queue}")]
    public static partial void ExecutorStarted(ILogger logger, string executorId, int slots, string queue);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Executor {ExecutorId} drained and stopped")]
    public static partial void ExecutorDrained(ILogger logger, string executorId);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "Task {Task} attempt {AttemptId} started")]
    public static partial void TaskStarted(ILogger logger, string task, string attemptId);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Task {Task} attempt {AttemptId} committed {Records} records in {ElapsedMs} ms")]
    public static partial void TaskCommitted(ILogger logger, string task, string attemptId, long records, long elapsedMs);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Task {Task} attempt {AttemptId} lost the commit to {WinnerAttemptId}; its output is discarded")]
    public static partial void LostCommitRace(ILogger logger, string task, string attemptId, string winnerAttemptId);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Task {Task} was already committed by {AttemptId}")]
    public static partial void AlreadyCommitted(ILogger logger, string task, string attemptId);

    [LoggerMessage(EventId = 214, Level = LogLevel.Information, Message = "Task {Task} skipped: {Reason}")]
    public static partial void TaskSkipped(ILogger logger, string task, string reason);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "Storing the log of task {Task} failed")]
    public static partial void TaskLogFailed(ILogger logger, string task, Exception exception);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Task {Task} attempt {AttemptId} failed: {Error}")]
    public static partial void TaskFailed(ILogger logger, string task, string attemptId, string error);

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Receiving task messages failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 221, Level = LogLevel.Warning, Message = "Unreadable task message {MessageId} moved to the poison queue: {Reason}")]
    public static partial void BadTaskMessage(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "Lease of message {MessageId} lost: {Reason}")]
    public static partial void LeaseLost(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 223, Level = LogLevel.Warning, Message = "Renewing the lease of message {MessageId} failed")]
    public static partial void LeaseRenewalFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 224, Level = LogLevel.Information, Message = "The job of task {Task} ended; canceling the task")]
    public static partial void JobEndedUnderTask(ILogger logger, string task);

    [LoggerMessage(EventId = 225, Level = LogLevel.Warning, Message = "Writing the heartbeat failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 230, Level = LogLevel.Information, Message = "Job {JobId}: application {AppBlob} loaded")]
    public static partial void AppLoaded(ILogger logger, string jobId, string appBlob);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "Job {JobId}: application unloaded ({Reason})")]
    public static partial void AppUnloaded(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 232, Level = LogLevel.Warning, Message = "Sweeping the executor's local state failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}

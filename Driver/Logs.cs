using Spark.Serverless.Driver.Orchestration;

namespace Spark.Serverless.Driver;

/// <summary>The driver's log messages, with stable event ids and structured fields.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Job {JobId} ({JobName}) submitted: {Stages} stages, {Tasks} tasks")]
    public static partial void JobSubmitted(ILogger logger, string jobId, string jobName, int stages, int tasks);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Job {JobId} failed at submission: {Error}")]
    public static partial void JobFailedAtSubmission(ILogger logger, string jobId, string error);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Job {JobId}: {Previous} -> {Status} {Error}")]
    public static partial void JobStatusChanged(ILogger logger, string jobId, JobStatus previous, JobStatus status, string? error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Job {JobId}: state write conflict #{Conflicts}, reloading")]
    public static partial void StateConflict(ILogger logger, string jobId, int conflicts);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Job {JobId} is unknown; dropping {Count} events")]
    public static partial void UnknownJob(ILogger logger, string jobId, int count);

    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "Job {JobId}: enqueued {Count} tasks of stage {StageId}")]
    public static partial void TasksEnqueued(ILogger logger, string jobId, int stageId, int count);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Job {JobId}: committed {Path} ({Parts} parts, {Records} records)")]
    public static partial void DatasetCommitted(ILogger logger, string jobId, string path, int parts, long records);

    [LoggerMessage(EventId = 122, Level = LogLevel.Debug, Message = "Job {JobId}: deleted {Count} temporary files")]
    public static partial void TemporaryFilesDeleted(ILogger logger, string jobId, int count);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Job {JobId}: another driver holds the commit lease; leaving the commit to it")]
    public static partial void CommitElsewhere(ILogger logger, string jobId);

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Receiving control messages failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Dropping unreadable control message {MessageId}: {Reason}")]
    public static partial void BadControlMessage(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "Processing events of job {JobId} failed; they will be redelivered")]
    public static partial void ProcessingFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Driver API listening on {Urls}; storage container '{Container}'; keys required: {KeysRequired}")]
    public static partial void Listening(ILogger logger, string urls, string container, bool keysRequired);
}

using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Manager;

/// <summary>The manager's log messages, with stable event ids and structured fields.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Manager {ManagerId} scaling executors of {Path} between {Min} and {Max}")]
    public static partial void ManagerStarting(ILogger logger, string managerId, int min, int max, string path);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Started executor {ExecutorId} (pid {ProcessId}): {Reason}")]
    public static partial void ExecutorStarted(ILogger logger, string executorId, int processId, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Executor {ExecutorId} is lost (it died or went silent) with {Running} running tasks")]
    public static partial void ExecutorLost(ILogger logger, string executorId, int running);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Stopped executor {ExecutorId} (pid {ProcessId})")]
    public static partial void ExecutorStopped(ILogger logger, string executorId, int processId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Stopping executor {ExecutorId} (SIGTERM): {Reason}")]
    public static partial void ExecutorStopping(ILogger logger, string executorId, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Executor {ExecutorId} (pid {ProcessId}) stopped heartbeating; killing it")]
    public static partial void ExecutorSilent(ILogger logger, string executorId, int processId);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "A scaling poll failed")]
    public static partial void PollFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Manager;

/// <summary>The manager's log messages, with stable event ids and structured fields.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Manager {ManagerId} keeping {Count} executors of {Path}")]
    public static partial void PoolStarting(ILogger logger, string managerId, int count, string path);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Started executor {ExecutorId} (pid {ProcessId})")]
    public static partial void ExecutorStarted(ILogger logger, string executorId, int processId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Executor {ExecutorId} (pid {ProcessId}) exited; replacing it")]
    public static partial void ExecutorExited(ILogger logger, string executorId, int processId);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Stopped executor {ExecutorId} (pid {ProcessId})")]
    public static partial void ExecutorStopped(ILogger logger, string executorId, int processId);
}

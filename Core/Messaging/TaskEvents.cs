namespace Spark.Serverless.Messaging;

/// <summary>Builds the events an executor reports about a task message.</summary>
public static class TaskEvents
{
    /// <summary>The task committed (this attempt or, when <paramref name="duplicate"/>, another one).</summary>
    public static TaskSucceeded Succeeded(TaskMessage task, string executorId, DateTimeOffset at, string committedAttemptId, bool duplicate, TaskMetrics? metrics, IReadOnlyList<AccumulatorUpdate>? accumulators) => new()
    {
        JobId = task.JobId,
        At = at,
        StageId = task.StageId,
        StageAttempt = task.StageAttempt,
        Partition = task.Partition,
        Attempt = task.Attempt,
        ExecutorId = executorId,
        CommittedAttemptId = committedAttemptId,
        Duplicate = duplicate,
        Metrics = metrics,
        Accumulators = accumulators,
    };

    /// <summary>The attempt failed.</summary>
    public static TaskFailed Failed(TaskMessage task, string executorId, DateTimeOffset at, TaskError error, TaskMetrics? metrics) => new()
    {
        JobId = task.JobId,
        At = at,
        StageId = task.StageId,
        StageAttempt = task.StageAttempt,
        Partition = task.Partition,
        Attempt = task.Attempt,
        ExecutorId = executorId,
        Error = error,
        Metrics = metrics,
    };
}

using Spark.Serverless.Execution;

namespace Spark.Serverless;

/// <summary>What a lambda can learn about the task running it, like Spark's <c>TaskContext.get()</c>.</summary>
/// <param name="JobId">The job.</param>
/// <param name="StageId">The stage.</param>
/// <param name="StageAttempt">The stage's attempt.</param>
/// <param name="Partition">The partition being computed.</param>
/// <param name="Attempt">The task's attempt number, from 0 (a retry or a speculative copy counts up).</param>
/// <param name="ExecutorId">The executor running it.</param>
public sealed record TaskInfo(string JobId, int StageId, int StageAttempt, int Partition, int Attempt, string ExecutorId)
{
    /// <summary>The running task, or null outside a task (for example in Build).</summary>
    public static TaskInfo? Current => TaskContext.Current is { } c
        ? new TaskInfo(c.Task.JobId, c.Task.StageId, c.Task.StageAttempt, c.Task.Partition, c.Task.Attempt, c.ExecutorId)
        : null;
}

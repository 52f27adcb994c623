namespace Spark.Serverless.Messaging;

/// <summary>
/// A task on the task queue: which job, stage, stage attempt, partition and task attempt to run.
/// A few hundred bytes, never data: the executor finds the rest in the job's plan.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="StageId">The stage.</param>
/// <param name="StageAttempt">The stage's attempt; events from an older stage attempt are stale.</param>
/// <param name="Partition">The partition the task computes.</param>
/// <param name="Attempt">The task's attempt number, counted by the driver from 0.</param>
public sealed record TaskMessage(string JobId, int StageId, int StageAttempt, int Partition, int Attempt)
{
    /// <summary>A short name for logs: <c>job/stage.attempt/partition.attempt</c>.</summary>
    public override string ToString() => $"{JobId}/s{StageId}.{StageAttempt}/p{Partition}.{Attempt}";
}

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
    /// <summary>
    /// When the driver put the message on the queue, by its clock; telemetry only (dispatch latency), so it takes
    /// no part in equality: two copies of one task attempt are the same task whenever they were sent.
    /// </summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>Whether <paramref name="other"/> names the same task attempt (the enqueue time is ignored).</summary>
    public bool Equals(TaskMessage? other) =>
        other is not null && JobId == other.JobId && StageId == other.StageId && StageAttempt == other.StageAttempt
        && Partition == other.Partition && Attempt == other.Attempt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(JobId, StageId, StageAttempt, Partition, Attempt);

    /// <summary>A short name for logs: <c>job/stage.attempt/partition.attempt</c>.</summary>
    public override string ToString() => $"{JobId}/s{StageId}.{StageAttempt}/p{Partition}.{Attempt}";
}

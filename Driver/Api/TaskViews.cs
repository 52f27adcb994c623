using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Driver.Api;

/// <summary>A line of <c>GET /api/jobs</c>.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Name">The job's name.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed or Canceled.</param>
/// <param name="CreatedTime">When it was submitted.</param>
/// <param name="CompletedTime">When it ended.</param>
/// <param name="DurationMs">From submission to the end (or to now while it runs).</param>
/// <param name="Stages">Its stages.</param>
/// <param name="Tasks">Its tasks.</param>
/// <param name="SucceededTasks">Tasks committed.</param>
/// <param name="Error">Why it failed or was canceled.</param>
public sealed record JobSummaryView(string Id, string Name, JobStatus RuntimeStatus, DateTimeOffset CreatedTime, DateTimeOffset? CompletedTime,
    double DurationMs, int Stages, int Tasks, int SucceededTasks, string? Error)
{
    /// <summary>The summary of a state.</summary>
    public static JobSummaryView From(JobState state, DateTimeOffset now) => new(
        state.JobId, state.Name, state.Status, state.SubmittedAt, state.CompletedAt, ((state.CompletedAt ?? now) - state.SubmittedAt).TotalMilliseconds,
        state.Stages.Count, state.Stages.Sum(s => s.Tasks.Count), state.Stages.Sum(s => s.Tasks.Count(t => t.Phase == TaskPhase.Succeeded)), state.Error);
}

/// <summary>A row of the task table: a task's latest attempt, where it ran, what it read and wrote, and how it failed.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="StageAttempt">The stage attempt of the latest run.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Attempt">The latest attempt number.</param>
/// <param name="Status"><c>pending</c>, <c>queued</c>, <c>running</c> (an executor reports it), <c>succeeded</c> or <c>failed</c> (the latest attempt failed and another is queued).</param>
/// <param name="ExecutorId">The executor that committed it, that runs it now, or that ran its last failed attempt.</param>
/// <param name="DurationMs">The committed (or last reported) attempt's run time.</param>
/// <param name="RecordsIn">Records read by the committed attempt.</param>
/// <param name="BytesIn">Bytes read.</param>
/// <param name="RecordsOut">Records written.</param>
/// <param name="BytesOut">Bytes written.</param>
/// <param name="Error">The latest failure, if any.</param>
/// <param name="Attempts">Every reported attempt.</param>
/// <param name="Metrics">The committed attempt's full metrics (storage requests, dispatch latency, executor peak memory...), if it has committed.</param>
public sealed record TaskView(int Stage, int StageAttempt, int Partition, int Attempt, string Status, string? ExecutorId, double? DurationMs,
    long RecordsIn, long BytesIn, long RecordsOut, long BytesOut, TaskError? Error, IReadOnlyList<TaskAttemptRecord> Attempts, TaskMetrics? Metrics)
{
    /// <summary>The rows of a job's tasks; <paramref name="running"/> says which executor runs which task now.</summary>
    public static IReadOnlyList<TaskView> From(JobState state, IReadOnlyDictionary<TaskMessage, string> running) =>
        [.. state.Stages.SelectMany(stage => stage.Tasks.Select(task =>
        {
            var last = task.Attempts.LastOrDefault();
            var message = new TaskMessage(state.JobId, stage.Id, stage.Attempt, task.Partition, task.Attempt);
            string? runningOn = running.GetValueOrDefault(message);
            string status = task.Phase switch
            {
                TaskPhase.Succeeded => "succeeded",
                TaskPhase.Pending => "pending",
                _ when task.Held => "pending",
                _ when runningOn is not null => "running",
                _ when last?.Error is not null => "failed",
                _ => "queued",
            };
            var m = task.Metrics;
            return new TaskView(stage.Id, task.Phase == TaskPhase.Succeeded ? task.CommittedStageAttempt : stage.Attempt, task.Partition, task.Attempt, status,
                task.ExecutorId ?? runningOn ?? last?.ExecutorId, m?.DurationMs ?? last?.DurationMs,
                m?.RecordsIn ?? 0, m?.BytesIn ?? 0, m?.RecordsOut ?? 0, m?.BytesOut ?? 0,
                task.Attempts.LastOrDefault(a => a.Error is not null)?.Error, task.Attempts, m);
        }))];
}

/// <summary>What one task attempt logged: its own log lines and what its code wrote to the console, then its failure.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="StageAttempt">The stage attempt.</param>
/// <param name="Partition">The partition.</param>
/// <param name="AttemptId">The attempt id (attempt number and a random suffix).</param>
/// <param name="Text">The lines.</param>
public sealed record TaskLogView(int Stage, int StageAttempt, int Partition, string AttemptId, string Text);

using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Driver.Api;

/// <summary>The answer to <c>POST /api/jobs</c>, in Durable Functions' shape.</summary>
/// <param name="Id">The job id.</param>
/// <param name="StatusQueryGetUri">Where to poll the job's status.</param>
/// <param name="TerminatePostUri">Where to POST to cancel it.</param>
/// <param name="ResultGetUri">Where to get its result when it completed.</param>
public sealed record SubmitResponse(string Id, Uri StatusQueryGetUri, Uri TerminatePostUri, Uri ResultGetUri);

/// <summary>An error answer: one sentence, plus every problem when there were several.</summary>
/// <param name="Error">What is wrong.</param>
/// <param name="Errors">Each problem, when there were several.</param>
public sealed record ErrorResponse(string Error, IReadOnlyList<string>? Errors = null);

/// <summary>The answer to <c>GET /api/jobs/{id}</c>.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Name">The job's name.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed or Canceled.</param>
/// <param name="CreatedTime">When it was submitted.</param>
/// <param name="StartedTime">When it started running.</param>
/// <param name="LastUpdatedTime">When its state last changed.</param>
/// <param name="CompletedTime">When it reached its final status.</param>
/// <param name="Error">Why it failed or was canceled.</param>
/// <param name="Stages">Every stage with its task counts, metrics and failed attempts.</param>
/// <param name="Metrics">Totals over committed tasks.</param>
/// <param name="Accumulators">Each accumulator's total over the tasks that succeeded.</param>
public sealed record JobStatusView(
    string Id, string Name, JobStatus RuntimeStatus, DateTimeOffset CreatedTime, DateTimeOffset? StartedTime,
    DateTimeOffset LastUpdatedTime, DateTimeOffset? CompletedTime, string? Error, IReadOnlyList<StageView> Stages, MetricsView Metrics,
    IReadOnlyDictionary<string, double> Accumulators)
{
    /// <summary>The view of a state.</summary>
    public static JobStatusView From(JobState state) => new(
        state.JobId, state.Name, state.Status, state.SubmittedAt, state.StartedAt, state.LastUpdatedAt, state.CompletedAt, state.Error,
        state.Stages.Select(StageView.From).ToList(),
        MetricsView.Sum(state.Stages.SelectMany(s => s.Tasks)),
        state.Accumulators.ToDictionary(a => a.Key, a => a.Value.IsDouble ? a.Value.Double : a.Value.Long));
}

/// <summary>A stage's progress, in the terms of Spark's console progress bar, with what its tasks did.</summary>
/// <param name="Id">The stage id.</param>
/// <param name="Name">A label such as <c>reduceByKey at counts</c>.</param>
/// <param name="Kind">Shuffle-map, result, sample or broadcast.</param>
/// <param name="Status">Waiting, Running or Succeeded.</param>
/// <param name="Attempt">The stage attempt.</param>
/// <param name="NumTasks">Tasks in the stage.</param>
/// <param name="Pending">Tasks not started.</param>
/// <param name="Active">Tasks queued or running.</param>
/// <param name="Succeeded">Tasks committed.</param>
/// <param name="FailedAttempts">Task attempts that failed.</param>
/// <param name="Metrics">Totals over the stage's committed tasks.</param>
/// <param name="Failures">Every failed attempt, each with its error.</param>
/// <param name="StartedTime">When the stage first started.</param>
/// <param name="CompletedTime">When its last task committed.</param>
public sealed record StageView(int Id, string Name, StageKind Kind, StageStatus Status, int Attempt, int NumTasks, int Pending, int Active, int Succeeded,
    int FailedAttempts, MetricsView Metrics, IReadOnlyList<FailureView> Failures, DateTimeOffset? StartedTime, DateTimeOffset? CompletedTime)
{
    /// <summary>The view of a stage's state.</summary>
    public static StageView From(StageState stage) => new(
        stage.Id, stage.Name, stage.Kind, stage.Status, stage.Attempt, stage.Tasks.Count,
        stage.Tasks.Count(t => t.Phase == TaskPhase.Pending || t.Held),
        stage.Tasks.Count(t => t.Phase == TaskPhase.Queued && !t.Held),
        stage.Tasks.Count(t => t.Phase == TaskPhase.Succeeded),
        stage.Tasks.Sum(t => t.Failures),
        MetricsView.Sum(stage.Tasks),
        stage.Tasks.SelectMany(t => t.Attempts.Where(a => a.Error is not null).Select(a => new FailureView(t.Partition, a.Attempt, a.ExecutorId, a.Error!))).ToList(),
        stage.StartedAt, stage.CompletedAt);
}

/// <summary>A failed task attempt.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Attempt">The attempt number.</param>
/// <param name="ExecutorId">Where it ran.</param>
/// <param name="Error">The exception's type, message and stack (the user's frames first).</param>
public sealed record FailureView(int Partition, int Attempt, string ExecutorId, TaskError Error);

/// <summary>What committed tasks read and wrote.</summary>
/// <param name="RecordsIn">Records read.</param>
/// <param name="BytesIn">Bytes read from storage.</param>
/// <param name="RecordsOut">Records written.</param>
/// <param name="BytesOut">Bytes written to storage.</param>
/// <param name="Spills">Spill files written past the memory budget.</param>
/// <param name="SpillBytes">Bytes spilled.</param>
/// <param name="CachedPartitions">Partitions read from persisted data instead of being recomputed.</param>
public sealed record MetricsView(long RecordsIn, long BytesIn, long RecordsOut, long BytesOut, long Spills, long SpillBytes, long CachedPartitions)
{
    /// <summary>The totals of some tasks' committed metrics.</summary>
    public static MetricsView Sum(IEnumerable<TaskState> tasks)
    {
        var metrics = tasks.Select(t => t.Metrics).OfType<TaskMetrics>().ToList();
        return new MetricsView(metrics.Sum(m => m.RecordsIn), metrics.Sum(m => m.BytesIn), metrics.Sum(m => m.RecordsOut), metrics.Sum(m => m.BytesOut),
            metrics.Sum(m => (long)m.Spills), metrics.Sum(m => m.SpillBytes), metrics.Sum(m => (long)m.CachedPartitions));
    }
}

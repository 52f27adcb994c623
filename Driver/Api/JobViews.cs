using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.IO;
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
/// <param name="Stages">Every stage with its task counts.</param>
/// <param name="Metrics">Totals over committed tasks.</param>
public sealed record JobStatusView(
    string Id, string Name, JobStatus RuntimeStatus, DateTimeOffset CreatedTime, DateTimeOffset? StartedTime,
    DateTimeOffset LastUpdatedTime, DateTimeOffset? CompletedTime, string? Error, IReadOnlyList<StageView> Stages, JobMetricsView Metrics)
{
    /// <summary>The view of a state.</summary>
    public static JobStatusView From(JobState state) => new(
        state.JobId, state.Name, state.Status, state.SubmittedAt, state.StartedAt, state.LastUpdatedAt, state.CompletedAt, state.Error,
        state.Stages.Select(StageView.From).ToList(),
        new JobMetricsView(
            state.Stages.SelectMany(s => s.Tasks).Sum(t => t.Metrics?.RecordsIn ?? 0),
            state.Stages.SelectMany(s => s.Tasks).Sum(t => t.Metrics?.BytesIn ?? 0),
            state.Stages.SelectMany(s => s.Tasks).Sum(t => t.Metrics?.RecordsOut ?? 0),
            state.Stages.SelectMany(s => s.Tasks).Sum(t => t.Metrics?.BytesOut ?? 0)));
}

/// <summary>A stage's progress, in the terms of Spark's console progress bar.</summary>
/// <param name="Id">The stage id.</param>
/// <param name="Name">A label such as <c>reduceByKey at counts</c>.</param>
/// <param name="Kind">Shuffle-map or result.</param>
/// <param name="Status">Waiting, Running or Succeeded.</param>
/// <param name="Attempt">The stage attempt.</param>
/// <param name="NumTasks">Tasks in the stage.</param>
/// <param name="Pending">Tasks not started.</param>
/// <param name="Active">Tasks queued or running.</param>
/// <param name="Succeeded">Tasks committed.</param>
/// <param name="FailedAttempts">Task attempts that failed.</param>
public sealed record StageView(int Id, string Name, StageKind Kind, StageStatus Status, int Attempt, int NumTasks, int Pending, int Active, int Succeeded, int FailedAttempts)
{
    /// <summary>The view of a stage's state.</summary>
    public static StageView From(StageState stage) => new(
        stage.Id, stage.Name, stage.Kind, stage.Status, stage.Attempt, stage.Tasks.Count,
        stage.Tasks.Count(t => t.Phase == TaskPhase.Pending),
        stage.Tasks.Count(t => t.Phase == TaskPhase.Queued),
        stage.Tasks.Count(t => t.Phase == TaskPhase.Succeeded),
        stage.Tasks.Sum(t => t.Failures));
}

/// <summary>What a job's committed tasks read and wrote.</summary>
/// <param name="RecordsIn">Records read.</param>
/// <param name="BytesIn">Bytes read from storage.</param>
/// <param name="RecordsOut">Records written.</param>
/// <param name="BytesOut">Bytes written to storage.</param>
public sealed record JobMetricsView(long RecordsIn, long BytesIn, long RecordsOut, long BytesOut);

/// <summary>The answer to <c>GET /api/jobs/{id}/result</c>: each action's outcome.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Outputs">One entry per action.</param>
public sealed record JobResultView(string Id, IReadOnlyList<ActionResultView> Outputs);

/// <summary>An action's outcome: for a save, the dataset's path and manifest.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Path">The output path.</param>
/// <param name="Manifest">The committed dataset's manifest.</param>
public sealed record ActionResultView(string Kind, string? Path, DatasetManifest? Manifest);

using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>A job's runtime status, as Durable Functions names an orchestration's.</summary>
public enum JobStatus
{
    /// <summary>Stored, not started yet.</summary>
    Pending,

    /// <summary>Stages are running (or the job is committing).</summary>
    Running,

    /// <summary>Every action finished and the output is committed.</summary>
    Completed,

    /// <summary>A task failed too often, or the job could not start.</summary>
    Failed,

    /// <summary>Canceled on request.</summary>
    Canceled,
}

/// <summary>Where a stage is.</summary>
public enum StageStatus
{
    /// <summary>Waiting for its parent stages.</summary>
    Waiting,

    /// <summary>Its tasks are queued or running.</summary>
    Running,

    /// <summary>Every task committed.</summary>
    Succeeded,
}

/// <summary>Where a task is, as far as the driver knows.</summary>
public enum TaskPhase
{
    /// <summary>Its stage has not started.</summary>
    Pending,

    /// <summary>A task message is on the queue or an executor is running it.</summary>
    Queued,

    /// <summary>An attempt committed.</summary>
    Succeeded,
}

/// <summary>
/// The orchestration's checkpoint (<c>jobs/{id}/state.json</c>): everything the driver needs to carry on,
/// including the outbox of commands decided but perhaps not yet carried out. Written with If-Match.
/// </summary>
public sealed class JobState
{
    /// <summary>The job id.</summary>
    public required string JobId { get; set; }

    /// <summary>The job's name.</summary>
    public required string Name { get; set; }

    /// <summary>The runtime status.</summary>
    public JobStatus Status { get; set; } = JobStatus.Pending;

    /// <summary>When the job was submitted.</summary>
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>When it started running.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it reached a final status.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When an event last changed the state.</summary>
    public DateTimeOffset LastUpdatedAt { get; set; }

    /// <summary>Why the job failed or was canceled.</summary>
    public string? Error { get; set; }

    /// <summary>Failures of one task before the job fails.</summary>
    public int MaxTaskFailures { get; set; } = 4;

    /// <summary>The settings the orchestration acts on (speculation, backoff, stage attempts, cleanup).</summary>
    public JobSettings Settings { get; set; } = new();

    /// <summary>The sequence number of the job's current timer: only its tick schedules the next one.</summary>
    public int TickSeq { get; set; }

    /// <summary>When the current timer is due to fire.</summary>
    public DateTimeOffset? TickDueAt { get; set; }

    /// <summary>True once the delayed second cleanup of an ended job was ordered.</summary>
    public bool CleanedUp { get; set; }

    /// <summary>True once every stage succeeded and the job commit was ordered.</summary>
    public bool Committing { get; set; }

    /// <summary>The stages, by id.</summary>
    public List<StageState> Stages { get; set; } = [];

    /// <summary>Each accumulator's total over the tasks that succeeded.</summary>
    public Dictionary<string, AccumulatorTotal> Accumulators { get; set; } = [];

    /// <summary>Commands decided and not yet reported done, in order.</summary>
    public List<JobCommand> Outbox { get; set; } = [];

    /// <summary>The id the next command gets.</summary>
    public long NextCommandId { get; set; } = 1;

    /// <summary>Whether the status is final.</summary>
    public bool IsTerminal => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Canceled;

    /// <summary>The initial state of a planned job.</summary>
    public static JobState Create(JobPlan plan, DateTimeOffset submittedAt) => new()
    {
        JobId = plan.JobId,
        Name = plan.Name,
        SubmittedAt = submittedAt,
        LastUpdatedAt = submittedAt,
        MaxTaskFailures = plan.Settings.MaxTaskFailures,
        Settings = plan.Settings,
        Accumulators = plan.Accumulators.ToDictionary(a => a.Name, a => new AccumulatorTotal(a.IsDouble, 0, 0)),
        Stages = plan.Stages.Select(s => new StageState
        {
            Id = s.Id,
            Name = s.Name,
            Kind = s.Kind,
            Parents = [.. s.Parents],
            Tasks = Enumerable.Range(0, s.NumPartitions).Select(p => new TaskState { Partition = p }).ToList(),
        }).ToList(),
    };

    /// <summary>A job that failed before it could start (for example, an input matched no blobs).</summary>
    public static JobState CreateFailed(string jobId, string name, DateTimeOffset at, string error) => new()
    {
        JobId = jobId,
        Name = name,
        Status = JobStatus.Failed,
        SubmittedAt = at,
        CompletedAt = at,
        LastUpdatedAt = at,
        Error = error,
    };
}

/// <summary>A stage's progress.</summary>
public sealed class StageState
{
    /// <summary>The stage id.</summary>
    public int Id { get; set; }

    /// <summary>A label such as <c>reduceByKey at counts</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Shuffle-map or result.</summary>
    public StageKind Kind { get; set; }

    /// <summary>The stages that must succeed first.</summary>
    public List<int> Parents { get; set; } = [];

    /// <summary>The stage's attempt; events of other attempts are stale.</summary>
    public int Attempt { get; set; }

    /// <summary>Where the stage is.</summary>
    public StageStatus Status { get; set; } = StageStatus.Waiting;

    /// <summary>When the stage started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When its last task committed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>One entry per partition.</summary>
    public List<TaskState> Tasks { get; set; } = [];
}

/// <summary>A task's progress and its attempts.</summary>
public sealed class TaskState
{
    /// <summary>The partition.</summary>
    public int Partition { get; set; }

    /// <summary>Where the task is.</summary>
    public TaskPhase Phase { get; set; } = TaskPhase.Pending;

    /// <summary>The current attempt number.</summary>
    public int Attempt { get; set; }

    /// <summary>Queued in the state but its message not sent yet: it waits for room under <see cref="JobSettings.MaxQueuedTasks"/>.</summary>
    public bool Held { get; set; }

    /// <summary>Failed attempts so far.</summary>
    public int Failures { get; set; }

    /// <summary>The attempt id that holds the commit marker.</summary>
    public string? CommittedAttemptId { get; set; }

    /// <summary>The stage attempt whose commit marker holds the task's output.</summary>
    public int CommittedStageAttempt { get; set; }

    /// <summary>When an attempt of the task started running, for speculation (null until reported).</summary>
    public DateTimeOffset? RunningSince { get; set; }

    /// <summary>The attempt number of the speculative copy, once one was launched.</summary>
    public int? SpeculativeAttempt { get; set; }

    /// <summary>The executor of the committed attempt.</summary>
    public string? ExecutorId { get; set; }

    /// <summary>The committed attempt's metrics.</summary>
    public TaskMetrics? Metrics { get; set; }

    /// <summary>The committed attempt's accumulator values, added to the job's totals (and taken out again if the output is lost).</summary>
    public List<AccumulatorUpdate>? Accumulators { get; set; }

    /// <summary>Every reported attempt, in the order reported.</summary>
    public List<TaskAttemptRecord> Attempts { get; set; } = [];
}

/// <summary>An accumulator's total.</summary>
/// <param name="IsDouble">Whether it sums floating-point values.</param>
/// <param name="Long">The total of a whole-number accumulator.</param>
/// <param name="Double">The total of a floating-point accumulator.</param>
public sealed record AccumulatorTotal(bool IsDouble, long Long, double Double);

/// <summary>One reported task attempt.</summary>
/// <param name="Attempt">The attempt number.</param>
/// <param name="ExecutorId">The executor that ran it.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>duplicate</c> (another attempt had committed), <c>failed</c> or <c>fetchFailed</c>.</param>
/// <param name="Error">The failure, for failed attempts.</param>
/// <param name="DurationMs">How long it ran.</param>
public sealed record TaskAttemptRecord(int Attempt, string ExecutorId, string Outcome, TaskError? Error, double? DurationMs);

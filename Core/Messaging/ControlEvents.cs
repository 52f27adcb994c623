using System.Text.Json.Serialization;

namespace Spark.Serverless.Messaging;

/// <summary>
/// An event for a job's orchestration, sent on the control queue (or, for <see cref="CommandsCompleted"/>,
/// applied directly by the driver's shell). Time comes in on events: the orchestration has no clock.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(JobSubmitted), "jobSubmitted")]
[JsonDerivedType(typeof(TaskSucceeded), "taskSucceeded")]
[JsonDerivedType(typeof(TaskFailed), "taskFailed")]
[JsonDerivedType(typeof(CancelRequested), "cancelRequested")]
[JsonDerivedType(typeof(CommandsCompleted), "commandsCompleted")]
[JsonDerivedType(typeof(CommitFailed), "commitFailed")]
[JsonDerivedType(typeof(TaskStarted), "taskStarted")]
[JsonDerivedType(typeof(Tick), "tick")]
[JsonDerivedType(typeof(TasksLost), "tasksLost")]
[JsonDerivedType(typeof(TaskReports), "taskReports")]
public abstract record ControlEvent
{
    /// <summary>The job the event belongs to.</summary>
    public required string JobId { get; init; }

    /// <summary>When the event happened, by the sender's clock.</summary>
    public required DateTimeOffset At { get; init; }
}

/// <summary>A job was stored and planned; the orchestration may start it.</summary>
public sealed record JobSubmitted : ControlEvent;

/// <summary>A cancellation was requested.</summary>
public sealed record CancelRequested : ControlEvent;

/// <summary>A durable timer fired: a control message sent with a visibility delay (stragglers, lost tasks, cleanup).</summary>
public sealed record Tick : ControlEvent
{
    /// <summary>
    /// The timer this tick belongs to (the job's timer sequence when it was scheduled); null for a tick from the
    /// periodic sweep of running jobs (the Functions timer trigger), which only restarts a timer that looks broken.
    /// </summary>
    public int? Seq { get; init; }
}

/// <summary>Executors that died or went silent were running these tasks of the job: they must run again.</summary>
public sealed record TasksLost : ControlEvent
{
    /// <summary>The tasks, each with the executor it was lost on.</summary>
    public required IReadOnlyList<LostTask> Tasks { get; init; }
}

/// <summary>The outcomes of a <see cref="TaskBundle"/>'s tasks, in one control message: applied as if each came on its own.</summary>
public sealed record TaskReports : ControlEvent
{
    /// <summary>The tasks' events (<see cref="TaskSucceeded"/> or <see cref="TaskFailed"/>), all of this job.</summary>
    public required IReadOnlyList<ControlEvent> Events { get; init; }

    /// <summary>One event for the control queue: <paramref name="events"/>' only one as it is, or all of them in a <see cref="TaskReports"/>.</summary>
    public static ControlEvent Of(IReadOnlyList<ControlEvent> events) =>
        events.Count == 1 ? events[0] : new TaskReports { JobId = events[0].JobId, At = events.Max(e => e.At), Events = events };
}

/// <summary>A task attempt that was running on an executor now gone.</summary>
/// <param name="Task">The task message it was running.</param>
/// <param name="ExecutorId">The executor.</param>
public sealed record LostTask(TaskMessage Task, string ExecutorId);

/// <summary>The job commit could not finish (for example, a collected result is over its size limit): the job fails.</summary>
public sealed record CommitFailed : ControlEvent
{
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
}

/// <summary>The driver's shell carried out these outbox commands.</summary>
public sealed record CommandsCompleted : ControlEvent
{
    /// <summary>The ids of the commands carried out.</summary>
    public required IReadOnlyList<long> CommandIds { get; init; }
}

/// <summary>What is common to the events of a task attempt.</summary>
public abstract record TaskEvent : ControlEvent
{
    /// <summary>The stage.</summary>
    public required int StageId { get; init; }

    /// <summary>The stage attempt the task belonged to.</summary>
    public required int StageAttempt { get; init; }

    /// <summary>The partition.</summary>
    public required int Partition { get; init; }

    /// <summary>The task attempt number from the task message.</summary>
    public required int Attempt { get; init; }

    /// <summary>The executor that ran the attempt.</summary>
    public required string ExecutorId { get; init; }

    /// <summary>What the attempt read and wrote, and how long it took.</summary>
    public TaskMetrics? Metrics { get; init; }

    /// <summary>The task attempt the event is about, as its task message names it.</summary>
    public TaskMessage ToTaskMessage() => new(JobId, StageId, StageAttempt, Partition, Attempt);
}

/// <summary>A task attempt started running (sent only for jobs with speculation on, which needs run times).</summary>
public sealed record TaskStarted : TaskEvent;

/// <summary>A task attempt committed, or found the task already committed by another attempt.</summary>
public sealed record TaskSucceeded : TaskEvent
{
    /// <summary>The attempt id (unique per execution) that holds the commit marker.</summary>
    public required string CommittedAttemptId { get; init; }

    /// <summary>True when the commit marker was another attempt's: this attempt's output was discarded.</summary>
    public bool Duplicate { get; init; }

    /// <summary>The committed attempt's accumulator values, which the driver adds once per task.</summary>
    public IReadOnlyList<AccumulatorUpdate>? Accumulators { get; init; }
}

/// <summary>One task's value of an accumulator.</summary>
/// <param name="Name">The accumulator.</param>
/// <param name="IsDouble">Whether it is a floating-point accumulator.</param>
/// <param name="Long">The value of a whole-number accumulator.</param>
/// <param name="Double">The value of a floating-point accumulator.</param>
public sealed record AccumulatorUpdate(string Name, bool IsDouble, long Long, double Double);

/// <summary>A task attempt failed.</summary>
public sealed record TaskFailed : TaskEvent
{
    /// <summary>The failure.</summary>
    public required TaskError Error { get; init; }
}

/// <summary>A task failure as the user sees it.</summary>
/// <param name="Type">The exception's type name.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The stack, the user's own frames first.</param>
/// <param name="Kind">What kind of failure: <c>user</c> code, <c>fetch</c> failure, <c>platform</c>, <c>lost</c> or <c>canceled</c>.</param>
public sealed record TaskError(string Type, string Message, string? StackTrace, string Kind = "user")
{
    /// <summary>For a fetch failure, the map stage whose output could not be read.</summary>
    public int? FetchStageId { get; init; }

    /// <summary>For a fetch failure, the map partition whose output could not be read (-1: the stage's outputs list).</summary>
    public int? FetchMapPartition { get; init; }

    /// <summary>One line: <c>Type: Message</c>.</summary>
    public override string ToString() => $"{Type}: {Message}";
}

/// <summary>What a task attempt read and wrote.</summary>
public sealed record TaskMetrics
{
    /// <summary>Records read from input splits or shuffle blocks.</summary>
    public long RecordsIn { get; init; }

    /// <summary>Bytes read from storage.</summary>
    public long BytesIn { get; init; }

    /// <summary>Records written to shuffle files or output parts.</summary>
    public long RecordsOut { get; init; }

    /// <summary>Bytes written to storage.</summary>
    public long BytesOut { get; init; }

    /// <summary>Storage requests made.</summary>
    public long Requests { get; init; }

    /// <summary>Spill files written because a sort, grouping or join passed the memory budget.</summary>
    public int Spills { get; init; }

    /// <summary>Bytes written to spill files.</summary>
    public long SpillBytes { get; init; }

    /// <summary>Partitions read from persisted data instead of being recomputed.</summary>
    public int CachedPartitions { get; init; }

    /// <summary>When the attempt started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the attempt ran, in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>From the driver enqueuing the task message to the attempt starting, in milliseconds (null when the message carried no enqueue time).</summary>
    public double? DispatchMs { get; init; }

    /// <summary>The executor process's peak resident set (bytes) when the attempt ended: the most memory it has held since it started.</summary>
    public long PeakRssBytes { get; init; }

    /// <summary>
    /// How long the executor's garbage collector held the process paused while the attempt ran, in milliseconds
    /// (Spark's "GC time"). Pauses stop every thread, so tasks running beside it on the same executor count them too.
    /// </summary>
    public double GcPauseMs { get; init; }

    /// <summary>
    /// How long the executor process spent compiling methods while the attempt ran, in milliseconds: on any thread, so
    /// tasks running beside it on the same executor count it too. A fresh executor's first tasks compile the code
    /// every later task reuses.
    /// </summary>
    public double JitMs { get; init; }
}

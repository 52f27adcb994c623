using System.Text.Json.Serialization;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// Something the orchestration decided to do. Commands are recorded in the state's outbox before they run and
/// are idempotent, so a driver that dies while running them is replaced by one that runs them again.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EnqueueTasks), "enqueueTasks")]
[JsonDerivedType(typeof(PublishMapOutputs), "publishMapOutputs")]
[JsonDerivedType(typeof(CommitJob), "commitJob")]
// CleanUpJob keeps the name it was saved under when only failed and canceled jobs used it, so that outboxes saved
// by earlier drivers still load.
[JsonDerivedType(typeof(CleanUpJob), "abortJob")]
[JsonDerivedType(typeof(ScheduleTick), "scheduleTick")]
[JsonDerivedType(typeof(PoisonTask), "poisonTask")]
[JsonDerivedType(typeof(FindLostTasks), "findLostTasks")]
public abstract record JobCommand
{
    /// <summary>The command's id within its job.</summary>
    public long Id { get; init; }
}

/// <summary>Send task messages, after <paramref name="DelayMs"/> (a retry's backoff).</summary>
/// <param name="StageId">The stage.</param>
/// <param name="StageAttempt">The stage attempt.</param>
/// <param name="Tasks">The partitions and their attempt numbers.</param>
/// <param name="DelayMs">How long the messages stay invisible.</param>
/// <param name="BundleSize">Tasks per message (a <see cref="Messaging.TaskBundle"/> when more than one).</param>
public sealed record EnqueueTasks(int StageId, int StageAttempt, IReadOnlyList<TaskRef> Tasks, int DelayMs = 0, int BundleSize = 1) : JobCommand;

/// <summary>Put the task message that failed the job, with its last error, on the poison queue for inspection.</summary>
/// <param name="Task">The task message.</param>
/// <param name="Error">The last failure.</param>
public sealed record PoisonTask(Messaging.TaskMessage Task, Messaging.TaskError Error) : JobCommand;

/// <summary>Read the executors' heartbeats and report, as <see cref="Messaging.TasksLost"/>, this job's tasks on executors that are gone.</summary>
public sealed record FindLostTasks : JobCommand;

/// <summary>Send a <see cref="Messaging.Tick"/> to the job after a delay: a durable timer.</summary>
/// <param name="DelayMs">The delay.</param>
/// <param name="Seq">The timer's sequence number, which the tick carries back.</param>
public sealed record ScheduleTick(int DelayMs, int Seq = 0) : JobCommand;

/// <summary>A task to enqueue.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Attempt">The attempt number.</param>
public sealed record TaskRef(int Partition, int Attempt);

/// <summary>Gather a finished stage's commit markers into its <c>map-outputs.json</c>: map outputs for reducers, samples for range bounds, broadcast parts.</summary>
/// <param name="StageId">The map stage.</param>
public sealed record PublishMapOutputs(int StageId) : JobCommand;

/// <summary>Promote every action's committed parts and write <c>_SUCCESS</c> last.</summary>
public sealed record CommitJob : JobCommand;

/// <summary>
/// Remove an ended job's temporary files (shuffle files, attempt outputs, samples); committed datasets are left
/// alone. It runs once the job's end is recorded, so that neither the client nor a completed job's completion time
/// waits on it, and again after <see cref="Spark.Serverless.Planning.JobSettings.CleanupDelayMs"/> for what tasks
/// still running at the end wrote.
/// </summary>
public sealed record CleanUpJob : JobCommand;

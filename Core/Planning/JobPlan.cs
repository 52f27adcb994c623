using Spark.Serverless.IO;

namespace Spark.Serverless.Planning;

/// <summary>
/// A job's plan as stored in <c>jobs/{id}/plan.json</c>: the application, its settings, nodes, stages,
/// input splits and actions. The driver writes it once at submission; executors read it to run tasks.
/// </summary>
public sealed record JobPlan
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>SHA-256 of the plan's signature; an executor that builds a different plan refuses the task.</summary>
    public required string PlanHash { get; init; }

    /// <summary>The application assembly's blob in the platform container.</summary>
    public required string AppBlob { get; init; }

    /// <summary>The full name of the <see cref="ISparkJob"/> type to build.</summary>
    public required string AppType { get; init; }

    /// <summary>The job's settings.</summary>
    public required JobSettings Settings { get; init; }

    /// <summary>The plan's nodes, by id.</summary>
    public required IReadOnlyList<PlanNodeInfo> Nodes { get; init; }

    /// <summary>The stages, by id, parents before children.</summary>
    public required IReadOnlyList<StageInfo> Stages { get; init; }

    /// <summary>The input splits of each source node, by node id.</summary>
    public required IReadOnlyDictionary<int, IReadOnlyList<InputSplit>> Sources { get; init; }

    /// <summary>The actions, in declaration order.</summary>
    public required IReadOnlyList<ActionInfo> Actions { get; init; }

    /// <summary>Further assemblies the application needs, by simple name, as blobs in the platform container.</summary>
    public IReadOnlyDictionary<string, string> AppDependencies { get; init; } = new Dictionary<string, string>();

    /// <summary>Where each persisted node keeps its partitions (a folder in the platform container).</summary>
    public IReadOnlyDictionary<int, PersistInfo> Persisted { get; init; } = new Dictionary<int, PersistInfo>();

    /// <summary>The persisted datasets the job reads by name, by node.</summary>
    public IReadOnlyDictionary<int, PersistedInput> PersistedInputs { get; init; } = new Dictionary<int, PersistedInput>();

    /// <summary>The job's accumulators.</summary>
    public IReadOnlyList<AccumulatorInfo> Accumulators { get; init; } = [];

    /// <summary>The splits of a source node.</summary>
    public IReadOnlyList<InputSplit> SplitsOf(int nodeId) =>
        Sources.TryGetValue(nodeId, out var splits) ? splits : throw new InvalidOperationException($"Plan has no splits for source node {nodeId}.");
}

/// <summary>Settings that govern how a job runs (the spec's <c>settings</c>).</summary>
public sealed record JobSettings
{
    /// <summary>Reduce partitions of a shuffle that does not name its own count (Spark's <c>spark.sql.shuffle.partitions</c>).</summary>
    public int ShufflePartitions { get; init; } = 8;

    /// <summary>Failures of one task before the job fails (Spark's <c>spark.task.maxFailures</c>).</summary>
    public int MaxTaskFailures { get; init; } = 4;

    /// <summary>Whether slow tasks get speculative copies (Spark's <c>spark.speculation</c>).</summary>
    public bool Speculation { get; init; }

    /// <summary>
    /// The most task messages of the job on the queue (or running) at once; the rest wait in the driver, as
    /// Spark's scheduler offers tasks only as slots free up. A short queue keeps each receive cheap (Azurite's cost
    /// per queue request grows with the messages it holds) while still showing the manager a backlog to scale on.
    /// It also caps the job's concurrent tasks. Set by the driver (<c>Driver:MaxQueuedTasks</c>).
    /// </summary>
    public int MaxQueuedTasks { get; init; } = 64;

    /// <summary>
    /// Work, in milliseconds, to put in one task message once a stage's tasks prove short: tasks of a few
    /// milliseconds then go several to a message and report together. 0 sends every task alone. Set by the driver
    /// (<c>Driver:TaskBundleMs</c>).
    /// </summary>
    public int TaskBundleMs { get; init; } = 100;

    /// <summary>The largest input split in bytes (Spark's <c>spark.files.maxPartitionBytes</c>).</summary>
    public long MaxSplitBytes { get; init; } = 64L << 20;

    /// <summary>Partitions of <c>range</c> and <c>parallelize</c> that name none (Spark's <c>spark.default.parallelism</c>).</summary>
    public int DefaultParallelism { get; init; } = 4;

    /// <summary>The largest collected result (collect, take, countByKey) in bytes (Spark's <c>spark.driver.maxResultSize</c>).</summary>
    public long MaxResultBytes { get; init; } = 64L << 20;

    /// <summary>The most records a sortBy's sampling task reads from its partition.</summary>
    public int SortSampleRecords { get; init; } = 100_000;

    /// <summary>The fraction of a stage's tasks that must be done before speculation looks at the rest (Spark's <c>spark.speculation.quantile</c>).</summary>
    public double SpeculationQuantile { get; init; } = 0.75;

    /// <summary>How many times slower than the median a task must be to get a speculative copy (<c>spark.speculation.multiplier</c>).</summary>
    public double SpeculationMultiplier { get; init; } = 1.5;

    /// <summary>The least a task must have run before it can be speculated (<c>spark.speculation.minTaskRuntime</c>).</summary>
    public int SpeculationMinRuntimeMs { get; init; } = 100;

    /// <summary>How often the driver looks for stragglers (<c>spark.speculation.interval</c>).</summary>
    public int SpeculationIntervalMs { get; init; } = 500;

    /// <summary>The first retry delay of a failed task; it doubles with each further failure, up to 30 seconds.</summary>
    public int RetryBackoffMs { get; init; } = 200;

    /// <summary>Attempts of one stage (fetch failures resubmit it) before the job fails (<c>spark.stage.maxConsecutiveAttempts</c>).</summary>
    public int MaxStageAttempts { get; init; } = 4;

    /// <summary>How often the driver looks for tasks of executors that died or went silent.</summary>
    public int LostTaskCheckMs { get; init; } = 5_000;

    /// <summary>How long after a job ends the driver removes its temporary files a second time, catching what tasks still running then wrote.</summary>
    public int CleanupDelayMs { get; init; } = 30_000;
}

/// <summary>Where a persisted node keeps its partitions.</summary>
/// <param name="Folder">The folder in the platform container holding <c>part-NNNNN</c> blobs.</param>
/// <param name="Name">The name later jobs read it by, if any.</param>
/// <param name="ElementType">The record type's full name.</param>
/// <param name="CSharpType">The record type as C# source, for specs that read it by name.</param>
public sealed record PersistInfo(string Folder, string? Name, string ElementType, string CSharpType);

/// <summary>A persisted dataset read by name: where its parts are and how many.</summary>
/// <param name="Name">The name.</param>
/// <param name="Folder">The folder of its parts.</param>
/// <param name="Partitions">How many parts.</param>
public sealed record PersistedInput(string Name, string Folder, int Partitions);

/// <summary>An accumulator of the job.</summary>
/// <param name="Name">Its name.</param>
/// <param name="IsDouble">Whether it sums floating-point values.</param>
public sealed record AccumulatorInfo(string Name, bool IsDouble);

/// <summary>A plan node as stored: id, operation, name, parents and partition count.</summary>
/// <param name="Id">The id (build order).</param>
/// <param name="Op">The operation.</param>
/// <param name="Name">The user-given name, if any.</param>
/// <param name="Parents">The parents' ids.</param>
/// <param name="NumPartitions">The partition count.</param>
public sealed record PlanNodeInfo(int Id, string Op, string? Name, IReadOnlyList<int> Parents, int NumPartitions);

/// <summary>What a stage's tasks produce.</summary>
public enum StageKind
{
    /// <summary>Shuffle files for a later stage.</summary>
    ShuffleMap,

    /// <summary>An action's result.</summary>
    Result,

    /// <summary>A sample of a sortBy's keys, from which its range bounds are drawn.</summary>
    Sample,

    /// <summary>A dataset's records for a broadcast variable.</summary>
    Broadcast,
}

/// <summary>A stage: a pipeline of narrow nodes that ends in a shuffle write or an action.</summary>
/// <param name="Id">The stage id; parents have smaller ids.</param>
/// <param name="Kind">What the tasks produce.</param>
/// <param name="NodeId">The shuffle node whose map side the tasks run, or the action node.</param>
/// <param name="RddNodeId">The node whose partitions the tasks compute.</param>
/// <param name="NumPartitions">The number of tasks.</param>
/// <param name="Parents">The stages whose output this one reads (or, for a result stage, waits for).</param>
/// <param name="Name">A label for status, such as <c>reduceByKey at counts</c>.</param>
public sealed record StageInfo(int Id, StageKind Kind, int NodeId, int RddNodeId, int NumPartitions, IReadOnlyList<int> Parents, string Name);

/// <summary>An action as the job commit sees it.</summary>
/// <param name="NodeId">The action's node.</param>
/// <param name="StageId">The result stage that runs it.</param>
/// <param name="Kind">The action: <c>saveAsTextFile</c>, <c>saveAsJsonLines</c>, <c>collect</c>, <c>take</c>, <c>count</c>, <c>countByKey</c> or <c>broadcast</c>.</param>
/// <param name="Name">The name its result goes by.</param>
/// <param name="Path">The output path, for actions that write one.</param>
/// <param name="Overwrite">Whether an existing dataset at the path is replaced.</param>
/// <param name="Limit">For <c>take</c>, how many records.</param>
public sealed record ActionInfo(int NodeId, int StageId, string Kind, string Name, string? Path = null, bool Overwrite = false, int? Limit = null);

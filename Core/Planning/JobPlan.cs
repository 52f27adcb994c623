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

    /// <summary>The largest input split in bytes (Spark's <c>spark.files.maxPartitionBytes</c>).</summary>
    public long MaxSplitBytes { get; init; } = 64L << 20;
}

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
/// <param name="Kind">The action (<c>saveAsTextFile</c>).</param>
/// <param name="Path">The output path, for actions that write one.</param>
/// <param name="Overwrite">Whether an existing dataset at the path is replaced.</param>
public sealed record ActionInfo(int NodeId, int StageId, string Kind, string? Path, bool Overwrite);

using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;

namespace Spark.Serverless.Planning;

/// <summary>
/// A node of a job's plan (Spark's RDD): an operation, its parents, and, once bound, its partition count.
/// Ids are assigned in build order, so the driver and every executor that run the same deterministic
/// <see cref="ISparkJob.Build"/> agree on them.
/// </summary>
internal abstract class PlanNode
{
    protected PlanNode(string op, params PlanNode[] parents)
    {
        Op = op;
        Parents = parents;
    }

    /// <summary>The node's id: its index in build order.</summary>
    public int Id { get; internal set; } = -1;

    /// <summary>The operation, named as in the JSON spec (<c>map</c>, <c>reduceByKey</c>…).</summary>
    public string Op { get; }

    /// <summary>The nodes this one reads.</summary>
    public IReadOnlyList<PlanNode> Parents { get; }

    /// <summary>A user-given name (a spec step's id), for status and logs.</summary>
    public string? Name { get; internal set; }

    /// <summary>The number of partitions, known once the plan is bound to its inputs; -1 before.</summary>
    public int NumPartitions { get; internal set; } = -1;

    /// <summary>True for a node whose parent's records cross a shuffle to reach it: it starts a new stage.</summary>
    public virtual bool IsShuffle => false;

    /// <summary>The type of the node's records.</summary>
    public abstract Type ElementType { get; }

    /// <summary>A label for status: the name, else <c>op#id</c>.</summary>
    public string Label => Name ?? $"{Op}#{Id}";

    /// <summary>Works out the partition count from the parents' and the bindings.</summary>
    internal virtual int ResolvePartitions(PlanBindings bindings) => Parents[0].NumPartitions;

    /// <summary>Appends what identifies this node's computation to the plan signature.</summary>
    internal void AppendSignature(StringBuilder signature)
    {
        signature.Append(CultureInfo.InvariantCulture, $"{Id}:{Op}<{ElementType}>(");
        signature.AppendJoin(',', Parents.Select(p => p.Id));
        signature.Append(')');
        if (Name is not null) signature.Append(" name=").Append(Name);
        DescribeArguments(signature);
        signature.Append('\n');
    }

    /// <summary>Appends the node's arguments: paths, partition counts, the identity of its lambdas.</summary>
    protected virtual void DescribeArguments(StringBuilder signature) { }

    /// <summary>The stable identity of a lambda: its declaring type and method name.</summary>
    protected static string DescribeDelegate(Delegate d) => $"{d.Method.DeclaringType?.FullName}::{d.Method.Name}";
}

/// <summary>A node whose partitions can be computed as a stream of <typeparamref name="T"/> records.</summary>
internal abstract class PlanNode<T> : PlanNode
{
    protected PlanNode(string op, params PlanNode[] parents) : base(op, parents) { }

    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <summary>Streams the records of one partition; runs on an executor, inside a task.</summary>
    internal abstract IEnumerable<T> Compute(TaskContext context, int partition);

    /// <summary>
    /// About how many records <see cref="Compute"/> gives for <paramref name="partition"/>, when that is known without
    /// computing it (a shuffle's reduce side knows it from its map outputs); 0 when not known.
    /// </summary>
    internal virtual long EstimatedRecords(TaskContext context, int partition) => 0;

    /// <summary>
    /// Hands the records of one partition, those <see cref="Compute"/> streams, to <paramref name="sink"/>. A narrow
    /// node passes a sink of its own to its parent's <c>Push</c>, so a chain of maps, flatMaps and filters runs as
    /// nested calls in its source's loop instead of through an enumerator per node, which costs two interface calls and
    /// an iterator's state per record per node: counting a 64 MB WordCount partition outside the platform took
    /// 1.62-1.88 s pushed against 2.16-2.64 s enumerated. Nodes without a sink of their own push what they compute.
    /// </summary>
    internal virtual void Push(TaskContext context, int partition, RecordSink<T> sink)
    {
        foreach (var record in Compute(context, partition)) sink.Accept(record);
    }
}

/// <summary>Where <see cref="PlanNode{T}.Push"/> delivers records, one call each.</summary>
internal abstract class RecordSink<T>
{
    /// <summary>Takes one record.</summary>
    public abstract void Accept(T record);
}

/// <summary>The map side of a shuffle: the last node of a shuffle-map stage.</summary>
internal interface IShuffleMapTask
{
    /// <summary>Whether a sampling stage must run first (range partitioning).</summary>
    bool NeedsSample { get; }

    /// <summary>Computes the map partition and writes its shuffle file and index.</summary>
    TaskOutput RunMapTask(TaskContext context, int partition);

    /// <summary>Computes the map partition and writes a sample of its keys (for range bounds).</summary>
    TaskOutput RunSampleTask(TaskContext context, int partition);
}

/// <summary>An action (or a broadcast): the final node of a result stage.</summary>
internal interface IResultTask
{
    /// <summary>The kind of stage that runs it.</summary>
    StageKind StageKind => StageKind.Result;

    /// <summary>Computes the partition and writes the task's attempt-scoped result.</summary>
    TaskOutput RunResultTask(TaskContext context, int partition);

    /// <summary>What the job commit needs to know about the action.</summary>
    ActionInfo Describe(int stageId);
}

/// <summary>A node that needs the executor's storage and plan before its tasks run (broadcasts).</summary>
internal interface IRuntimeBound
{
    /// <summary>Binds the node on an executor.</summary>
    void Bind(RuntimeBinding binding);
}

/// <summary>What an executor binds nodes to.</summary>
/// <param name="Storage">Storage clients.</param>
/// <param name="Plan">The job's plan.</param>
internal sealed record RuntimeBinding(Storage.SparkStorage Storage, JobPlan Plan);

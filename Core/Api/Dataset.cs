using Spark.Serverless.Nodes;
using Spark.Serverless.Planning;

namespace Spark.Serverless;

/// <summary>
/// A distributed, immutable collection of records of type <typeparamref name="T"/>, like Spark's RDD.
/// Transformations return new datasets and run nothing; actions make the job compute them. Narrow transformations
/// fuse into one streaming pipeline per partition; wide ones (shuffles) cut stages.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class Dataset<T>
{
    internal Dataset(JobContext context, PlanNode<T> node)
    {
        Context = context;
        Node = node;
    }

    /// <summary>The context the dataset belongs to.</summary>
    public JobContext Context { get; }

    internal PlanNode<T> Node { get; }

    /// <summary>Names the dataset in the job's status and plan (a spec step's id becomes its name).</summary>
    public Dataset<T> WithName(string name)
    {
        Node.Name = name;
        return this;
    }

    /// <summary>Applies <paramref name="selector"/> to every record.</summary>
    public Dataset<TResult> Map<TResult>(Func<T, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Derive(new MapNode<T, TResult>(Node, selector));
    }

    /// <summary>Applies <paramref name="selector"/> to every record and flattens the results.</summary>
    public Dataset<TResult> FlatMap<TResult>(Func<T, IEnumerable<TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Derive(new FlatMapNode<T, TResult>(Node, selector));
    }

    /// <summary>Keeps the records for which <paramref name="predicate"/> is true.</summary>
    public Dataset<T> Filter(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Derive(new FilterNode<T>(Node, predicate));
    }

    /// <summary>Applies <paramref name="selector"/> to each partition's whole stream of records (set-up once per partition).</summary>
    public Dataset<TResult> MapPartitions<TResult>(Func<IEnumerable<T>, IEnumerable<TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Derive(new MapPartitionsNode<T, TResult>(Node, selector));
    }

    /// <summary>Pairs every record with a key: <c>(key, record)</c>.</summary>
    public Dataset<(TKey Key, T Value)> KeyBy<TKey>(Func<T, TKey> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return Derive(new MapNode<T, (TKey, T)>(Node, x => (keySelector(x), x), "keyBy", keySelector));
    }

    /// <summary>The records of both datasets (duplicates kept); its partitions are this one's, then the other's.</summary>
    public Dataset<T> Union(Dataset<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Context != Context) throw new ArgumentException("Both datasets must belong to the same job.", nameof(other));
        return Derive(new UnionNode<T>(Node, other.Node));
    }

    /// <summary>Each distinct record once (a shuffle by the record's hash).</summary>
    public Dataset<T> Distinct(int numPartitions = 0)
    {
        var keyed = Derive(new MapNode<T, (T, byte)>(Node, static x => (x, (byte)0), "distinct"));
        var aggregator = new Aggregator<byte, byte>(static b => b, static (a, _) => a, static (a, _) => a);
        // A null record cannot be a dictionary key; it fails the task with the dictionary's own error.
#pragma warning disable CS8714
        var exchange = Context.Add(Exchange.Combining(keyed.Node, aggregator, numPartitions, "distinct"));
        var merged = Context.Add(new AggregateNode<T, byte, byte>(exchange, aggregator.OfCombiners(), false, "distinct"));
#pragma warning restore CS8714
        return Derive(new MapNode<(T Key, byte Value), T>(merged, static kv => kv.Key, "distinct"));
    }

    /// <summary>
    /// Sorts by a key, like TeraSort: a sampling stage draws range bounds, records are range-partitioned into
    /// <paramref name="numPartitions"/> partitions and sorted within each, so part 0 holds the smallest keys and the
    /// parts read in order are globally sorted. Equal keys keep their input order. Strings compare ordinally.
    /// </summary>
    public Dataset<T> SortBy<TKey>(Func<T, TKey> keySelector, bool ascending = true, int numPartitions = 0) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        var keyed = Context.Add(new MapNode<T, (TKey, T)>(Node, x => (keySelector(x), x), "sortBy", keySelector));
        var exchange = Context.Add(Nodes.Exchange.Plain(keyed, Partitioning.Range, numPartitions, "sortBy", descending: !ascending));
        return Derive(new SortNode<TKey, T>(exchange, !ascending));
    }

    /// <summary>Spreads the records evenly over <paramref name="numPartitions"/> partitions (a round-robin shuffle).</summary>
    public Dataset<T> Repartition(int numPartitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numPartitions, 1);
        var keyed = Context.Add(new RoundRobinNode<T>(Node));
        var exchange = Context.Add(Nodes.Exchange.Plain(keyed, Partitioning.Modulo, numPartitions, "repartition"));
        return Derive(new MapNode<(int Key, T Value), T>(exchange, static kv => kv.Value, "repartition"));
    }

    /// <summary>
    /// Keeps each partition in storage the first time it is computed: later actions of this job read it back instead
    /// of recomputing its lineage, and with a <paramref name="name"/> later jobs can read it with
    /// <see cref="JobContext.ReadPersisted{T}"/>.
    /// </summary>
    public Dataset<T> Persist(string? name = null) =>
        Derive(new PersistNode<T>(Node, name is null ? null : JobContext.CheckName(name, nameof(name))));

    /// <summary>Computes the dataset in its own stage and ships all its records to every executor as a broadcast variable.</summary>
    public Broadcast<IReadOnlyList<T>> ToBroadcast() => ToBroadcast<IReadOnlyList<T>>(static records => records);

    internal Broadcast<TValue> ToBroadcast<TValue>(Func<IReadOnlyList<T>, TValue> build)
    {
        var handle = Context.NewBroadcastHandle<TValue>();
        Context.AddAction(new BroadcastNode<T, TValue>(Node, handle, build) { Name = handle.Id });
        return handle;
    }

    /// <summary>
    /// Writes the records as text, one per line, to <c>path/part-NNNNN</c> plus <c>path/_SUCCESS</c>, a JSON manifest
    /// written last. A tuple is its fields joined by tabs (nested tuples flattened), every value its invariant-culture text.
    /// </summary>
    /// <param name="path"><c>container/prefix</c> of the output folder.</param>
    /// <param name="overwrite">Replace what the folder holds; otherwise a folder that already holds a dataset is an error.</param>
    /// <param name="name">The name of this action's result.</param>
    public void SaveAsTextFile(string path, bool overwrite = false, string? name = null) =>
        Context.AddAction(WriteLinesNode<T>.Text(Node, JobContext.ParsePath(path), overwrite, name));

    /// <summary>Writes the records as JSON lines (tuples as arrays) to <c>path/part-NNNNN</c> plus <c>path/_SUCCESS</c>.</summary>
    public void SaveAsJsonLines(string path, bool overwrite = false, string? name = null) =>
        Context.AddAction(WriteLinesNode<T>.JsonLines(Node, JobContext.ParsePath(path), overwrite, name));

    /// <summary>Returns every record in the job's result (a JSON array, in partition order), up to the job's <c>maxResultBytes</c>.</summary>
    public void Collect(string? name = null) => Context.AddAction(WriteLinesNode<T>.Result(Node, "collect", name));

    /// <summary>Returns the first <paramref name="count"/> records in the job's result, in partition order.</summary>
    public void Take(int count, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Context.AddAction(WriteLinesNode<T>.Result(Node, "take", name, count));
    }

    /// <summary>Returns the number of records in the job's result.</summary>
    public void Count(string? name = null) => Context.AddAction(new CountNode<T>(Node, name));

    internal Dataset<TResult> Derive<TResult>(PlanNode<TResult> node) => new(Context, Context.Add(node));
}

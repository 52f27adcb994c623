using Spark.Serverless.IO;
using Spark.Serverless.Planning;

namespace Spark.Serverless;

/// <summary>
/// A distributed, immutable collection of records of type <typeparamref name="T"/>, like Spark's RDD.
/// Transformations return new datasets and run nothing; actions such as <see cref="SaveAsTextFile"/> make the
/// job compute them. Narrow transformations (map, flatMap, filter) fuse into one streaming pipeline per partition.
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

    /// <summary>
    /// Writes the records as text, one per line, to <c>path/part-NNNNN</c> plus <c>path/_SUCCESS</c>, a JSON
    /// manifest written last. A tuple is written as its fields joined by a tab; every value by its
    /// invariant-culture <c>ToString()</c>.
    /// </summary>
    /// <param name="path"><c>container/prefix</c> of the output folder.</param>
    /// <param name="overwrite">Replace what the folder holds; otherwise a folder that already holds a dataset is an error.</param>
    /// <exception cref="ArgumentException">The path is not in <c>container/prefix</c> form.</exception>
    public void SaveAsTextFile(string path, bool overwrite = false)
    {
        if (!BlobPath.TryParse(path, out var parsed, out var error))
            throw new ArgumentException(error, nameof(path));
        Context.AddAction(new SaveAsTextFileNode<T>(Node, parsed.Value, overwrite));
    }

    internal Dataset<TResult> Derive<TResult>(PlanNode<TResult> node) => new(Context, Context.Add(node));
}

namespace Spark.Serverless;

/// <summary>
/// A read-only value shipped once to every executor of a job, like Spark's broadcast variable. Lambdas read it
/// through <see cref="Value"/>. A broadcast made from a dataset (<see cref="Dataset{T}.ToBroadcast"/>) is computed
/// by its own stage before the stages of every later action, and loaded once per executor.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class Broadcast<T>
{
    private readonly bool _hasLiteral;
    private readonly T? _literal;
    private Lazy<T>? _loader;

    internal Broadcast(string id, T literal)
    {
        Id = id;
        _literal = literal;
        _hasLiteral = true;
    }

    internal Broadcast(string id)
    {
        Id = id;
    }

    /// <summary>The broadcast's id within its job.</summary>
    public string Id { get; }

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">Read outside a task for a broadcast of a dataset, whose records exist only on executors.</exception>
    public T Value
    {
        get
        {
            if (_hasLiteral) return _literal!;
            return (_loader ?? throw new InvalidOperationException($"Broadcast '{Id}' holds a dataset's records, which exist only inside tasks running on executors.")).Value;
        }
    }

    /// <summary>Sets how an executor loads the value, once, on first use.</summary>
    internal void Bind(Func<T> load) => _loader = new Lazy<T>(load, LazyThreadSafetyMode.ExecutionAndPublication);
}

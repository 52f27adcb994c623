using System.Runtime.InteropServices;

namespace Spark.Serverless.Execution;

/// <summary>
/// One key's right-side values in a hash join's table: the first held in the entry itself, a list only for the others.
/// Most joins are on a primary key, where a list per key would cost more than the value it holds.
/// </summary>
/// <typeparam name="TValue">The right side's value type.</typeparam>
internal struct JoinMatches<TValue>
{
    /// <summary>The key's first value.</summary>
    public TValue First;

    /// <summary>The key's other values, in the order they came; null when it has one.</summary>
    public List<TValue>? More;

    /// <summary>Adds <paramref name="value"/> to <paramref name="key"/>'s entry of <paramref name="table"/>.</summary>
    /// <returns>True when the key was not in the table before.</returns>
    public static bool Add<TKey>(Dictionary<TKey, JoinMatches<TValue>> table, TKey key, TValue value) where TKey : notnull
    {
        ref var matches = ref CollectionsMarshal.GetValueRefOrAddDefault(table, key, out bool exists);
        if (exists) (matches.More ??= []).Add(value);
        else matches.First = value;
        return !exists;
    }
}

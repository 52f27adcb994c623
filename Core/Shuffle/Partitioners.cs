using System.IO.Hashing;
using System.Runtime.InteropServices;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>Assigns each key of a shuffle to a reduce partition.</summary>
internal abstract class Partitioner<TKey>(int partitions)
{
    /// <summary>The number of reduce partitions.</summary>
    public int Partitions => partitions;

    /// <summary>The reduce partition of a key.</summary>
    public abstract int PartitionOf(TKey key);
}

/// <summary>
/// By a hash that every process computes alike (unlike <see cref="object.GetHashCode"/>, which .NET randomizes per
/// process for strings).
/// </summary>
internal sealed class HashPartitioner<TKey>(int partitions) : Partitioner<TKey>(partitions)
{
    /// <inheritdoc />
    public override int PartitionOf(TKey key) => Partitions == 1 ? 0 : (int)(KeyHasher<TKey>.Hash(key) % (ulong)Partitions);
}

/// <summary>By ranges of sorted keys (TeraSort): partition i takes the keys up to and including bound i.</summary>
internal sealed class RangePartitioner<TKey>(TKey[] bounds, IComparer<TKey> comparer) : Partitioner<TKey>(bounds.Length + 1)
{
    /// <summary>The upper bounds of every partition but the last, ascending in the comparer's order.</summary>
    public IReadOnlyList<TKey> Bounds => bounds;

    /// <inheritdoc />
    public override int PartitionOf(TKey key)
    {
        int i = Array.BinarySearch(bounds, key, comparer);
        return i >= 0 ? i : ~i;
    }

    /// <summary>Picks <paramref name="partitions"/> - 1 bounds at even quantiles of a sample; duplicates are dropped, so fewer partitions may receive data.</summary>
    public static RangePartitioner<TKey> FromSample(List<TKey> sample, int partitions, IComparer<TKey> comparer)
    {
        sample.Sort(comparer);
        var bounds = new List<TKey>();
        for (int i = 1; i < partitions && sample.Count > 0; i++)
        {
            var candidate = sample[(int)((long)i * sample.Count / partitions)];
            if (bounds.Count == 0 || comparer.Compare(bounds[^1], candidate) < 0) bounds.Add(candidate);
        }
        // Keep the partition count the plan promised: pad with the last bound (those partitions stay empty).
        while (bounds.Count < partitions - 1 && bounds.Count > 0) bounds.Add(bounds[^1]);
        return bounds.Count == 0 ? new RangePartitioner<TKey>([], comparer) : new RangePartitioner<TKey>([.. bounds], comparer);
    }
}

/// <summary>For keys that are already partition numbers (repartition's round robin).</summary>
internal sealed class ModuloPartitioner(int partitions) : Partitioner<int>(partitions)
{
    /// <inheritdoc />
    public override int PartitionOf(int key) => (int)((uint)key % (uint)Partitions);
}

/// <summary>A stable 64-bit hash of a key: fast paths for strings and integers, the codec's hash bytes otherwise.</summary>
internal static class KeyHasher<T>
{
    private static readonly RecordCodec<T> Codec = RecordCodec.For<T>();

    [ThreadStatic]
    private static RecordWriter? t_writer;

    /// <summary>The hash of <paramref name="key"/>; equal keys hash alike in every process.</summary>
    public static ulong Hash(T key)
    {
        if (typeof(T) == typeof(string))
        {
            var s = (string?)(object?)key;
            return s is null ? 0 : XxHash3.HashToUInt64(MemoryMarshal.AsBytes(s.AsSpan()));
        }
        if (typeof(T) == typeof(long)) return Mix((ulong)(long)(object)key!);
        if (typeof(T) == typeof(int)) return Mix((ulong)(int)(object)key!);
        var writer = t_writer ??= new RecordWriter(null, 256);
        writer.Reset();
        Codec.WriteForHash(writer, key);
        return XxHash3.HashToUInt64(writer.WrittenSpan);
    }

    /// <summary>MurmurHash3's 64-bit finalizer: spreads integer keys over all bits.</summary>
    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }
}

using System.IO.Hashing;
using System.Runtime.InteropServices;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// Assigns keys to reduce partitions by a hash that every process computes alike (unlike
/// <see cref="object.GetHashCode"/>, which .NET randomizes per process for strings).
/// </summary>
internal sealed class HashPartitioner<TKey>(int partitions)
{
    /// <summary>The number of reduce partitions.</summary>
    public int Partitions => partitions;

    /// <summary>The reduce partition of a key.</summary>
    public int PartitionOf(TKey key) => partitions == 1 ? 0 : (int)(KeyHasher<TKey>.Hash(key) % (ulong)partitions);
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

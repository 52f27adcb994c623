using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A key's canonical bytes: the codec's hash form, equal for equal keys. Sorting by them gives a total order for
/// any key type, which is all that spilled groupings and sort-merge joins need.
/// </summary>
internal static class KeyBytes<T>
{
    private static readonly RecordCodec<T> Codec = RecordCodec.For<T>();

    [ThreadStatic]
    private static RecordWriter? t_writer;

    /// <summary>The key's canonical bytes.</summary>
    public static byte[] Of(T key)
    {
        var writer = t_writer ??= new RecordWriter(null, 256);
        writer.Reset();
        Codec.WriteForHash(writer, key);
        return writer.WrittenSpan.ToArray();
    }
}

/// <summary>Orders byte arrays lexicographically.</summary>
internal sealed class ByteArrayComparer : IComparer<byte[]>
{
    /// <summary>The one instance.</summary>
    public static readonly ByteArrayComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}

using System.Runtime.CompilerServices;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A rough size in memory of a value, for memory budgets: fast paths for strings and unmanaged values, otherwise
/// twice the serialized size plus object overhead. It only needs to be right within a small factor.
/// </summary>
internal static class SizeEstimator<T>
{
    private static readonly RecordCodec<T> Codec = RecordCodec.For<T>();
    private static readonly bool IsUnmanaged = !RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    [ThreadStatic]
    private static RecordWriter? t_writer;

    /// <summary>Estimated bytes held by <paramref name="value"/>.</summary>
    public static long Of(T value)
    {
        if (IsUnmanaged) return Unsafe.SizeOf<T>();
        if (value is string s) return 24 + 2L * s.Length;
        if (value is null) return 8;
        var writer = t_writer ??= new RecordWriter(null, 256);
        writer.Reset();
        Codec.Write(writer, value);
        return 32 + 2 * writer.BytesWritten;
    }
}

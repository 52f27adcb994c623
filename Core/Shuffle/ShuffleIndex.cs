using System.Buffers.Binary;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The index file of a shuffle data file: magic <c>SSIX</c>, format version (int32), partition count R (int32),
/// then R + 1 little-endian int64 offsets; block p is bytes [offsets[p], offsets[p+1]) of the data file.
/// </summary>
public static class ShuffleIndex
{
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "SSIX"u8;

    /// <summary>Encodes the offsets.</summary>
    public static byte[] Encode(long[] offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Length < 1) throw new ArgumentException("An index holds at least one offset.", nameof(offsets));
        var bytes = new byte[12 + offsets.Length * 8];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), offsets.Length - 1);
        for (int i = 0; i < offsets.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12 + i * 8), offsets[i]);
        return bytes;
    }

    /// <summary>Decodes and checks an index.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed index.</exception>
    public static long[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 20 || !bytes[..4].SequenceEqual(Magic))
            throw new InvalidDataException("Not a shuffle index: bad magic or too short.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != Version) throw new InvalidDataException($"Shuffle index version {version} is not supported.");
        int partitions = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (partitions < 0 || bytes.Length != 12 + (partitions + 1) * 8)
            throw new InvalidDataException($"Shuffle index claims {partitions} partitions but holds {bytes.Length} bytes.");
        var offsets = new long[partitions + 1];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(12 + i * 8)..]);
            if (i > 0 && offsets[i] < offsets[i - 1]) throw new InvalidDataException("Shuffle index offsets decrease.");
        }
        return offsets;
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using Spark.Serverless.IO;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// One reduce partition's block in a shuffle file: a sequence of frames, each a little-endian int32 length and
/// that many bytes of raw DEFLATE holding serialized records. An empty partition's block has no frames. Frames let
/// a map task that spilled copy its spilled frames into the final file without recompressing them.
/// </summary>
public static class ShuffleBlock
{
    /// <summary>Compresses serialized records into one frame written to <paramref name="destination"/>; returns the bytes written.</summary>
    public static long WriteFrame(ReadOnlySpan<byte> records, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        // The frame's length comes first, so it is compressed into a buffer; one per thread, reused, because map
        // tasks write a frame every few hundred kilobytes and fresh buffers of that size are large-object garbage.
        var compressed = t_scratch ??= new MemoryStream();
        compressed.SetLength(0);
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            deflate.Write(records);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, checked((int)compressed.Length));
        destination.Write(header);
        destination.Write(compressed.GetBuffer(), 0, (int)compressed.Length);
        long written = 4 + compressed.Length;
        if (compressed.Capacity > MaxScratchBytes) t_scratch = null;
        return written;
    }

    /// <summary>A scratch buffer grown past this is dropped after use rather than kept by the thread.</summary>
    private const int MaxScratchBytes = 4 << 20;

    [ThreadStatic]
    private static MemoryStream? t_scratch;

    /// <summary>The serialized records of every frame in a block of <paramref name="length"/> bytes, one frame after another.</summary>
    public static IEnumerable<Stream> ReadFrames(Stream block, long length)
    {
        ArgumentNullException.ThrowIfNull(block);
        long remaining = length;
        var header = new byte[4];
        while (remaining > 0)
        {
            if (remaining < 4) throw new InvalidDataException($"A shuffle block ends {remaining} bytes into a frame header.");
            block.ReadExactly(header);
            int frame = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (frame < 0 || frame > remaining - 4) throw new InvalidDataException($"A shuffle frame claims {frame} bytes but {remaining - 4} remain in the block.");
            var window = new BoundedStream(block, frame);
            using (var inflate = new DeflateStream(window, CompressionMode.Decompress, leaveOpen: true))
                yield return inflate;
            window.Drain();
            remaining -= 4 + frame;
        }
    }
}

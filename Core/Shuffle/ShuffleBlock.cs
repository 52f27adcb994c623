using System.Buffers.Binary;
using System.IO.Compression;
using Spark.Serverless.IO;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// One reduce partition's block in a shuffle file: a sequence of frames, each a little-endian int32 length and
/// that many bytes of raw DEFLATE holding serialized records. An empty partition's block has no frames. Frames let
/// a map task that spilled copy its spilled frames into the final file without recompressing them. A range
/// exchange's block is a sequence of sorted segments, each its frames followed by <see cref="SegmentEnd"/>.
/// </summary>
public static class ShuffleBlock
{
    /// <summary>The marker that ends a sorted segment: a frame header of length zero, which holds no records.</summary>
    public static ReadOnlySpan<byte> SegmentEnd => [0, 0, 0, 0];

    /// <summary>Compresses serialized records into one frame written to <paramref name="destination"/>; returns the bytes written.</summary>
    public static long WriteFrame(ReadOnlySpan<byte> records, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var frame = Frame(records);
        destination.Write(frame);
        return frame.Length;
    }

    /// <summary>
    /// One frame of serialized records, header included, in a buffer of the calling thread's that the next call
    /// reuses: map tasks make a frame every few hundred kilobytes, and fresh buffers of that size are large-object garbage.
    /// </summary>
    /// <param name="records">The serialized records.</param>
    /// <param name="level">
    /// How hard to compress; <see cref="CompressionLevel.NoCompression"/> writes DEFLATE's stored blocks, which inflate
    /// as a copy (see <see cref="FrameCompression"/>).
    /// </param>
    internal static ReadOnlySpan<byte> Frame(ReadOnlySpan<byte> records, CompressionLevel level = CompressionLevel.Fastest)
    {
        var frame = t_scratch ??= new MemoryStream();
        if (frame.Capacity > MaxScratchBytes) frame = t_scratch = new MemoryStream();
        // The length goes first: room is left for it, and it is filled in once the compressed size is known.
        frame.SetLength(4);
        frame.Position = 4;
        using (var deflate = new DeflateStream(frame, level, leaveOpen: true))
            deflate.Write(records);
        var bytes = frame.GetBuffer().AsSpan(0, checked((int)frame.Length));
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length - 4);
        return bytes;
    }

    /// <summary>A scratch buffer grown past this is replaced on the next call rather than kept by the thread.</summary>
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
            var read = header.AsSpan(0, (int)Math.Min(4, remaining));
            block.ReadExactly(read);
            int frame = FrameLength(read, remaining);
            remaining -= 4 + frame;
            // A segment's end marker: read as one block, the segments are simply concatenated.
            if (frame == 0) continue;
            var window = new BoundedStream(block, frame);
            using (var inflate = new DeflateStream(window, CompressionMode.Decompress, leaveOpen: true))
                yield return inflate;
            window.Drain();
        }
    }

    /// <summary>
    /// The length a frame header gives, checked against the block: <paramref name="header"/> is what the block had
    /// left of the header's four bytes, <paramref name="remaining"/> the block's bytes from the header on.
    /// </summary>
    /// <exception cref="InvalidDataException">The block ends inside the header, or the frame runs past the block.</exception>
    internal static int FrameLength(ReadOnlySpan<byte> header, long remaining)
    {
        if (header.Length < 4) throw new InvalidDataException($"A shuffle block ends {header.Length} bytes into a frame header.");
        int frame = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (frame < 0 || frame > remaining - 4) throw new InvalidDataException($"A shuffle frame claims {frame} bytes but {remaining - 4} remain in the block.");
        return frame;
    }
}

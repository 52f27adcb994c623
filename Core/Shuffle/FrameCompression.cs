using System.IO.Compression;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// Decides, frame by frame, whether a writer's frames (a map task's shuffle output, a persisted partition) are worth
/// compressing. Records that are mostly
/// numbers (a join's keys and amounts) barely shrink, and compressing and inflating them costs the executors more than
/// the bytes it saves cost storage. A frame that keeps more than <see cref="StoreAbove"/> of its size makes the
/// writer store its next <see cref="StoredRun"/> frames instead, then try compressing again, in case the records
/// changed. A stored frame is still raw DEFLATE (stored blocks), so readers need not know.
/// </summary>
/// <remarks>
/// The 1 GB join's line items (order key, amount) kept 0.77 of their size in frames built from the bench's lineitem
/// file, where DEFLATE compressed 185 MB and inflated 485 MB a second on one core; perf put the compression library
/// at 13% of the executors' task threads in the lineitem stage and 16% in the join stage. Stored, those stages took
/// 6.7-6.8 and 2.6-2.9 task-seconds against 8.0-9.0 and 3.1-3.7 (two alternating pairs of two rounds each), for
/// 21 MB more written and read. Sort's records stay compressed: the 1 GB Sort writes 223 MB of shuffle.
/// </remarks>
internal sealed class FrameCompression
{
    /// <summary>The compressed-to-serialized size above which compressing is not worth it.</summary>
    internal const double StoreAbove = 0.7;

    /// <summary>Frames stored, without trying, after a frame that did not shrink enough.</summary>
    internal const int StoredRun = 15;

    private int _storeNext;

    /// <summary>The level for the next frame.</summary>
    public CompressionLevel Next => _storeNext > 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest;

    /// <summary>Compresses (or stores) serialized records into one frame, header included; see <see cref="ShuffleBlock.Frame"/>.</summary>
    public ReadOnlySpan<byte> Frame(ReadOnlySpan<byte> records)
    {
        var level = Next;
        var frame = ShuffleBlock.Frame(records, level);
        if (level == CompressionLevel.NoCompression) _storeNext--;
        else if (frame.Length - 4 > records.Length * StoreAbove) _storeNext = StoredRun;
        return frame;
    }

    /// <summary>Writes serialized records to <paramref name="destination"/> as one frame, compressed or stored.</summary>
    public void WriteFrame(ReadOnlySpan<byte> records, Stream destination) => destination.Write(Frame(records));
}

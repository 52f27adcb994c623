using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The reduce side of a range exchange (sortBy): fetches the partition's block from every map output into a local
/// file, the next few asked for while one is copied (<see cref="ShuffleReader.OpenAhead"/>), then merges their sorted
/// segments (see <see cref="SortedShuffleWriter"/>) as it streams them. The task holds a small buffer per segment,
/// not its partition.
/// </summary>
internal static class SortedShuffleReader
{
    /// <summary>
    /// Segments merged at once: each open one holds a read buffer and an inflater (about 70 KB together), and a
    /// 64 MB split moved out in 16 MB runs gives every reduce partition four or five segments per map task.
    /// </summary>
    internal const int MergeWidth = 128;

    /// <summary>A segment's read buffer: small, because a merge has one per segment open.</summary>
    private const int SegmentBufferBytes = 16 << 10;

    /// <summary>
    /// The partition's records in <see cref="KeyComparer"/>'s order, reversed when <paramref name="descending"/>, ties in
    /// input order (map task, then within it).
    /// </summary>
    /// <exception cref="FetchFailedException">A block is missing or corrupt.</exception>
    public static IEnumerable<(TKey Key, TValue Value)> Merge<TKey, TValue>(TaskContext context, int shuffleNodeId, int reducePartition, bool descending)
    {
        var outputs = context.GetMapOutputs(shuffleNodeId);
        using var local = new SpillFile(context.Environment.SpillDirectory);
        var blocks = new List<(MapOutput Output, long Start, long Length)>();
        foreach (var (block, data) in ShuffleReader.OpenAhead(context, ShuffleReader.Blocks(outputs, reducePartition)))
        {
            blocks.Add((block.Output, local.Length, block.Length));
            Fetch(local, data, outputs.StageId, block);
        }
        var segments = new List<IEnumerable<(TKey Key, TValue Value)>>();
        foreach (var (output, start, length) in blocks)
        {
            foreach (var (segmentStart, segmentLength) in Guarded(() => Segments(local, start, length), outputs.StageId, output))
            {
                var records = ShuffleReader.ReadRecords<(TKey Key, TValue Value)>(local.OpenWindow(segmentStart, segmentLength), segmentLength, SegmentBufferBytes);
                segments.Add(ShuffleReader.Guard(records, outputs.StageId, output));
            }
        }
        var order = KeyComparer.For<TKey>(descending);
        var byKey = Comparer<(TKey Key, TValue Value)>.Create((a, b) => order.Compare(a.Key, b.Key));
        // String keys, the usual sortBy keys, are compared by their first characters as a number first, as the map side sorted them.
        Func<(TKey Key, TValue Value), ulong>? prefix = typeof(TKey) == typeof(string) ? record => StringPrefix.Of((string?)(object?)record.Key, descending) : null;
        foreach (var record in RunMerge.Bounded(segments, byKey, MergeWidth, context, prefix))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.RecordsIn++;
            yield return record;
        }
    }

    /// <summary>Copies a map output's block into the local file, a missing blob reported as a fetch failure.</summary>
    private static void Fetch(SpillFile local, Stream data, int stageId, ShuffleBlockRef block) =>
        Guarded(() =>
        {
            long copied = local.CopyFrom(data);
            if (copied != block.Length) throw new InvalidDataException($"A block of {block.Length} bytes ended after {copied}.");
            return copied;
        }, stageId, block.Output);

    private static T Guarded<T>(Func<T> read, int stageId, MapOutput output)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ShuffleReader.AsFetchFailure(ex, stageId, output) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Where each segment of a block in the local file starts and how long its frames are (its end marker left out).</summary>
    private static List<(long Start, long Length)> Segments(SpillFile local, long start, long length)
    {
        var segments = new List<(long, long)>();
        Span<byte> header = stackalloc byte[4];
        long at = start, end = start + length, segment = start;
        while (at < end)
        {
            var read = header[..(int)Math.Min(4, end - at)];
            local.ReadAt(at, read);
            int frame = ShuffleBlock.FrameLength(read, end - at);
            if (frame == 0)
            {
                if (at > segment) segments.Add((segment, at - segment));
                segment = at + 4;
            }
            at += 4 + frame;
        }
        if (end > segment) throw new InvalidDataException("A sorted shuffle block ends inside a segment.");
        return segments;
    }
}

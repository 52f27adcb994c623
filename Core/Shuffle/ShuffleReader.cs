using Azure;
using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The reduce side of a shuffle: range-reads this partition's block from every map output, the next few asked for
/// while one is read.
/// </summary>
internal static class ShuffleReader
{
    /// <summary>
    /// Blocks whose first request is out while an earlier one is read. Spark's shuffle fetcher keeps up to 48 MB of
    /// blocks in flight (<c>spark.reducer.maxSizeInFlight</c>) so that a reduce task does not wait a round trip per map
    /// output. The downloads stream, so an answer not yet read should wait in its socket and in storage rather than in
    /// the task's heap (reasoning from how a streamed response is read; peak RSS did not change in the bench).
    /// </summary>
    internal const int MaxBlocksAhead = 4;

    /// <summary>The most bytes of blocks asked for ahead of the one being read.</summary>
    internal const long MaxBytesAhead = 16 << 20;

    /// <summary>Streams the records of one reduce partition, map output by map output, in map-partition order.</summary>
    /// <exception cref="FetchFailedException">A block is missing or corrupt.</exception>
    public static IEnumerable<(TKey Key, TValue Value)> Read<TKey, TValue>(TaskContext context, int shuffleNodeId, int reducePartition)
    {
        var outputs = context.GetMapOutputs(shuffleNodeId);
        foreach (var (block, data) in OpenAhead(context, Blocks(outputs, reducePartition)))
        {
            foreach (var record in Guard(ReadRecords<(TKey Key, TValue Value)>(data, block.Length), outputs.StageId, block.Output))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.RecordsIn++;
                yield return record;
            }
        }
    }

    /// <summary>The partition's non-empty block in each map output, in map-partition order.</summary>
    internal static List<ShuffleBlockRef> Blocks(MapOutputs outputs, int reducePartition)
    {
        var blocks = new List<ShuffleBlockRef>();
        foreach (var output in outputs.Outputs)
        {
            long start = output.Offsets[reducePartition];
            long length = output.Offsets[reducePartition + 1] - start;
            if (length > 0) blocks.Add(new ShuffleBlockRef(output, start, length));
        }
        return blocks;
    }

    /// <summary>
    /// Each block's stream in order, disposed when the next is asked for. Up to <see cref="MaxBlocksAhead"/> blocks
    /// (and <see cref="MaxBytesAhead"/> bytes) past the current one have their first request sent already; a block
    /// that failed fails when it is read, so its reader reports it as the fetch failure of its own map output.
    /// </summary>
    internal static IEnumerable<(ShuffleBlockRef Block, Stream Data)> OpenAhead(TaskContext context, IReadOnlyList<ShuffleBlockRef> blocks)
    {
        var open = new Queue<Stream>();
        int opened = 0;
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                if (opened == i) open.Enqueue(Open(blocks[opened++]));
                while (opened < blocks.Count && opened - i <= MaxBlocksAhead && BytesOf(i + 1, opened + 1) <= MaxBytesAhead)
                    open.Enqueue(Open(blocks[opened++]));
                using var data = open.Dequeue();
                yield return (blocks[i], data);
            }
        }
        finally
        {
            // A reader that stops early (take) drops the blocks asked for ahead.
            while (open.TryDequeue(out var data)) data.Dispose();
        }

        // The bytes of blocks [from, to): at most MaxBlocksAhead + 1 of them.
        long BytesOf(int from, int to)
        {
            long bytes = 0;
            for (int b = from; b < to; b++) bytes += blocks[b].Length;
            return bytes;
        }

        Stream Open(ShuffleBlockRef block)
        {
            var stream = context.OpenRange(block.Output.DataBlob, block.Start, block.Length);
            stream.Prefetch();
            return stream;
        }
    }

    /// <summary>The records of one block of a data blob in the platform container.</summary>
    public static IEnumerable<T> ReadBlock<T>(TaskContext context, string blob, long start, long length)
    {
        using var block = context.OpenRange(blob, start, length);
        foreach (var record in ReadRecords<T>(block, length)) yield return record;
    }

    /// <summary>The records in a block of frames, read from a stream positioned at its start through a buffer of <paramref name="bufferBytes"/>.</summary>
    public static IEnumerable<T> ReadRecords<T>(Stream block, long length, int bufferBytes = 64 << 10)
    {
        var codec = RecordCodec.For<T>();
        foreach (var frame in ShuffleBlock.ReadFrames(block, length))
        {
            using var reader = new RecordReader(frame, bufferBytes);
            while (!reader.AtEnd) yield return codec.Read(reader);
        }
    }

    /// <summary>Turns a missing or corrupt block into a fetch failure naming the map output.</summary>
    internal static IEnumerable<T> Guard<T>(IEnumerable<T> records, int stageId, MapOutput output)
    {
        using var e = records.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (Exception ex) when (AsFetchFailure(ex, stageId, output) is { } failure)
            {
                throw failure;
            }
            yield return e.Current;
        }
    }

    /// <summary>The fetch failure a missing or corrupt block's exception means, or null for any other exception.</summary>
    internal static FetchFailedException? AsFetchFailure(Exception ex, int stageId, MapOutput output) => ex switch
    {
        RequestFailedException { Status: 404 or 412 or 416 } missing => new FetchFailedException(stageId, output.MapPartition,
            $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is missing ({missing.ErrorCode}).", missing),
        InvalidDataException corrupt => new FetchFailedException(stageId, output.MapPartition,
            $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is corrupt: {corrupt.Message}", corrupt),
        _ => null,
    };
}

/// <summary>One map output's block of a reduce partition: where in the output's data blob it lies.</summary>
/// <param name="Output">The map output.</param>
/// <param name="Start">The block's first byte in the data blob.</param>
/// <param name="Length">The block's length in bytes (never 0).</param>
internal readonly record struct ShuffleBlockRef(MapOutput Output, long Start, long Length);

using Azure;
using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>The reduce side of a shuffle: range-reads this partition's block from every map output.</summary>
internal static class ShuffleReader
{
    /// <summary>Streams the records of one reduce partition, map output by map output, in map-partition order.</summary>
    /// <exception cref="FetchFailedException">A block is missing or corrupt.</exception>
    public static IEnumerable<(TKey Key, TValue Value)> Read<TKey, TValue>(TaskContext context, int shuffleNodeId, int reducePartition)
    {
        var outputs = context.GetMapOutputs(shuffleNodeId);
        foreach (var output in outputs.Outputs)
        {
            long start = output.Offsets[reducePartition];
            long length = output.Offsets[reducePartition + 1] - start;
            if (length == 0) continue;
            foreach (var record in Guard(ReadBlock<(TKey Key, TValue Value)>(context, output.DataBlob, start, length), outputs.StageId, output))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.RecordsIn++;
                yield return record;
            }
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

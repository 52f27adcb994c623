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

    /// <summary>The records in a block of frames, read from a stream positioned at its start.</summary>
    public static IEnumerable<T> ReadRecords<T>(Stream block, long length)
    {
        var codec = RecordCodec.For<T>();
        foreach (var frame in ShuffleBlock.ReadFrames(block, length))
        {
            using var reader = new RecordReader(frame);
            while (!reader.AtEnd) yield return codec.Read(reader);
        }
    }

    /// <summary>Turns a missing or corrupt block into a fetch failure naming the map output.</summary>
    private static IEnumerable<T> Guard<T>(IEnumerable<T> records, int stageId, MapOutput output)
    {
        using var e = records.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412 or 416)
            {
                throw new FetchFailedException(stageId, output.MapPartition, $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is missing ({ex.ErrorCode}).", ex);
            }
            catch (InvalidDataException ex)
            {
                throw new FetchFailedException(stageId, output.MapPartition, $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is corrupt: {ex.Message}", ex);
            }
            yield return e.Current;
        }
    }
}

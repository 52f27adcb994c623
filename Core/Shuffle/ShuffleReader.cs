using Azure;
using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>The reduce side of a shuffle: range-reads this partition's block from every map output.</summary>
internal static class ShuffleReader
{
    /// <summary>Streams the records of one reduce partition, map output by map output.</summary>
    /// <exception cref="FetchFailedException">A block is missing or corrupt.</exception>
    public static IEnumerable<(TKey Key, TValue Value)> Read<TKey, TValue>(TaskContext context, int shuffleNodeId, int reducePartition)
    {
        var codec = RecordCodec.For<(TKey Key, TValue Value)>();
        var outputs = context.GetMapOutputs(shuffleNodeId);
        foreach (var output in outputs.Outputs)
        {
            long start = output.Offsets[reducePartition];
            long length = output.Offsets[reducePartition + 1] - start;
            if (length == 0) continue;
            using var block = ShuffleBlock.Decompress(context.OpenRange(output.DataBlob, start, length));
            using var reader = new RecordReader(block);
            while (TryRead(reader, codec, outputs.StageId, output, out var record))
            {
                context.RecordsIn++;
                yield return record;
            }
        }
    }

    private static bool TryRead<T>(RecordReader reader, RecordCodec<T> codec, int stageId, MapOutput output, out T record)
    {
        try
        {
            if (reader.AtEnd)
            {
                record = default!;
                return false;
            }
            record = codec.Read(reader);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412 or 416)
        {
            throw new FetchFailedException(stageId, output.MapPartition, $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is missing ({e.ErrorCode}).", e);
        }
        catch (InvalidDataException e)
        {
            throw new FetchFailedException(stageId, output.MapPartition, $"Shuffle file {output.DataBlob} of map partition {output.MapPartition} is corrupt: {e.Message}", e);
        }
    }
}

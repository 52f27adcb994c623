using System.IO.Compression;
using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The map side of a sort-based shuffle: records are bucketed by reduce partition (serialized), then written as
/// one data file holding every partition's compressed block in partition order, plus an index of block offsets.
/// </summary>
internal static class ShuffleWriter
{
    /// <summary>Writes a map task's shuffle file and index under attempt-scoped names.</summary>
    public static TaskOutput Write<TKey, TValue>(TaskContext context, IEnumerable<(TKey Key, TValue Value)> records, HashPartitioner<TKey> partitioner)
    {
        var codec = RecordCodec.For<(TKey Key, TValue Value)>();
        var buckets = new RecordWriter?[partitioner.Partitions];
        long count = 0;
        try
        {
            foreach (var record in records)
            {
                int p = partitioner.PartitionOf(record.Key);
                codec.Write(buckets[p] ??= new RecordWriter(null, 4096), record);
                count++;
            }

            var task = context.Task;
            string dataName = StorageLayout.ShuffleData(task.JobId, task.StageId, task.Partition, context.AttemptId);
            string indexName = StorageLayout.ShuffleIndex(task.JobId, task.StageId, task.Partition, context.AttemptId);
            var offsets = new long[buckets.Length + 1];
            using var data = context.CreateBlob(context.Storage.Options.Container, dataName);
            for (int p = 0; p < buckets.Length; p++)
            {
                offsets[p] = data.Length;
                if (buckets[p] is { } bucket) ShuffleBlock.Compress(bucket.WrittenSpan, data);
            }
            offsets[^1] = data.Length;
            data.Complete();
            context.UploadSmall(indexName, new BinaryData(ShuffleIndex.Encode(offsets)));
            context.RecordsOut += count;
            return new TaskOutput([dataName, indexName], offsets, count, data.Length);
        }
        finally
        {
            foreach (var bucket in buckets) bucket?.Dispose();
        }
    }
}

/// <summary>How one reduce partition's block is compressed: raw DEFLATE at the fastest level.</summary>
public static class ShuffleBlock
{
    /// <summary>Compresses serialized records into <paramref name="destination"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> records, Stream destination)
    {
        using var deflate = new DeflateStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        deflate.Write(records);
    }

    /// <summary>A stream of the serialized records in a compressed block.</summary>
    public static Stream Decompress(Stream block) => new DeflateStream(block, CompressionMode.Decompress, leaveOpen: false);
}

using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Serialization;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The map side of a sort-based shuffle: records are serialized into one bucket per reduce partition. A bucket
/// that fills a frame is compressed into a local spill file, and when the buckets together pass the task's memory
/// budget they all go there; so a map task holds at most a frame per partition, not its whole output. At the end
/// one data file is written with every partition's frames in partition order (spilled ones copied as they are),
/// plus an index of block offsets.
/// </summary>
internal static class ShuffleWriter
{
    /// <summary>Serialized bytes a bucket holds before it is compressed out as a frame.</summary>
    internal const int FrameBytes = 512 << 10;

    /// <summary>Writes a map task's shuffle file and index under attempt-scoped names.</summary>
    public static TaskOutput Write<TKey, TValue>(TaskContext context, IEnumerable<(TKey Key, TValue Value)> records, Partitioner<TKey> partitioner)
    {
        var codec = RecordCodec.For<(TKey Key, TValue Value)>();
        var buckets = new RecordWriter?[partitioner.Partitions];
        var spilled = new List<(long Offset, long Length)>?[partitioner.Partitions];
        SpillFile? spill = null;
        long buffered = 0, count = 0, budget = context.Environment.MemoryBudgetBytes;
        try
        {
            foreach (var record in records)
            {
                int partition = partitioner.PartitionOf(record.Key);
                var bucket = buckets[partition] ??= new RecordWriter(null, 4096);
                long before = bucket.BytesWritten;
                codec.Write(bucket, record);
                buffered += bucket.BytesWritten - before;
                count++;
                if (bucket.BytesWritten >= FrameBytes)
                {
                    // A full frame moves out as a matter of course, not memory pressure: it is not counted as a spill.
                    buffered -= bucket.BytesWritten;
                    MoveOut(context, ref spill, spilled, partition, bucket);
                }
                else if (buffered > budget)
                {
                    long start = spill?.Length ?? 0;
                    for (int p = 0; p < buckets.Length; p++)
                        if (buckets[p] is { BytesWritten: > 0 } full) MoveOut(context, ref spill, spilled, p, full);
                    context.RecordSpill(spill!.Length - start);
                    buffered = 0;
                }
            }

            var task = context.Task;
            string dataName = StorageLayout.ShuffleData(task.JobId, task.StageId, task.Partition, context.AttemptId);
            string indexName = StorageLayout.ShuffleIndex(task.JobId, task.StageId, task.Partition, context.AttemptId);
            var offsets = new long[buckets.Length + 1];
            using var data = context.CreateBlob(context.Storage.Options.Container, dataName);
            spill?.FinishWriting();
            for (int p = 0; p < buckets.Length; p++)
            {
                offsets[p] = data.Length;
                foreach (var (offset, length) in spilled[p] ?? [])
                    spill!.CopyRange(offset, length, data);
                if (buckets[p] is { BytesWritten: > 0 } bucket) ShuffleBlock.WriteFrame(bucket.WrittenSpan, data);
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
            spill?.Dispose();
        }
    }

    /// <summary>Compresses a bucket into a frame at the end of the spill file (made on first use) and empties it.</summary>
    private static void MoveOut(TaskContext context, ref SpillFile? spill, List<(long, long)>?[] spilled, int partition, RecordWriter bucket)
    {
        spill ??= new SpillFile(context.Environment.SpillDirectory);
        long start = spill.Length;
        long length = spill.AppendFrame(bucket.WrittenSpan);
        (spilled[partition] ??= []).Add((start, length));
        bucket.Reset();
    }
}

using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Serialization;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The map side of a sort-based shuffle: records are serialized into one bucket per reduce partition; when the
/// buckets pass the task's memory budget they are compressed into frames in a local spill file. At the end one
/// data file is written with every partition's frames in partition order (spilled ones copied as they are), plus
/// an index of block offsets.
/// </summary>
internal static class ShuffleWriter
{
    /// <summary>Writes a map task's shuffle file and index under attempt-scoped names.</summary>
    public static TaskOutput Write<TKey, TValue>(TaskContext context, IEnumerable<(TKey Key, TValue Value)> records, Partitioner<TKey> partitioner)
    {
        var codec = RecordCodec.For<(TKey Key, TValue Value)>();
        var buckets = new RecordWriter?[partitioner.Partitions];
        var spilledFrames = new List<(int Partition, long Offset, long Length)>();
        SpillFile? spill = null;
        long buffered = 0, count = 0;
        try
        {
            foreach (var record in records)
            {
                var bucket = buckets[partitioner.PartitionOf(record.Key)] ??= new RecordWriter(null, 4096);
                long before = bucket.BytesWritten;
                codec.Write(bucket, record);
                buffered += bucket.BytesWritten - before;
                count++;
                if (buffered > context.Environment.MemoryBudgetBytes)
                {
                    spill ??= new SpillFile(context.Environment.SpillDirectory);
                    long start = spill.Length;
                    SpillBuckets(buckets, spill, spilledFrames);
                    context.RecordSpill(spill.Length - start);
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
                foreach (var frame in spilledFrames.Where(f => f.Partition == p))
                    spill!.CopyRange(frame.Offset, frame.Length, data);
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

    private static void SpillBuckets(RecordWriter?[] buckets, SpillFile spill, List<(int, long, long)> frames)
    {
        using var frame = new MemoryStream();
        for (int p = 0; p < buckets.Length; p++)
        {
            if (buckets[p] is not { BytesWritten: > 0 } bucket) continue;
            frame.SetLength(0);
            ShuffleBlock.WriteFrame(bucket.WrittenSpan, frame);
            frames.Add((p, spill.Length, frame.Length));
            spill.Writer.WriteRaw(frame.GetBuffer().AsSpan(0, (int)frame.Length));
            bucket.Reset();
        }
    }
}

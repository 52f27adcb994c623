using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;

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
        using var movedOut = new MovedOutBlocks(context, partitioner.Partitions);
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
                    MoveOut(movedOut, partition, bucket);
                }
                else if (buffered > budget)
                {
                    long start = movedOut.Length;
                    for (int p = 0; p < buckets.Length; p++)
                        if (buckets[p] is { BytesWritten: > 0 } full) MoveOut(movedOut, p, full);
                    context.RecordSpill(movedOut.Length - start);
                    buffered = 0;
                }
            }
            return movedOut.Finish(count, (p, data) =>
            {
                if (buckets[p] is { BytesWritten: > 0 } bucket) movedOut.WriteFrame(bucket.WrittenSpan, data);
            });
        }
        finally
        {
            foreach (var bucket in buckets) bucket?.Dispose();
        }
    }

    /// <summary>Compresses a bucket into a frame at the end of the spill file and empties it.</summary>
    private static void MoveOut(MovedOutBlocks movedOut, int partition, RecordWriter bucket)
    {
        movedOut.AppendFrame(partition, bucket.WrittenSpan);
        bucket.Reset();
    }
}

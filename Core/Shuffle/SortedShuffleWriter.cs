using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// The map side of a range exchange (sortBy): each reduce partition's block is a sequence of segments sorted by key,
/// so the reduce task merges them as it reads instead of holding its whole partition to sort it. Records wait
/// serialized in one bucket per reduce partition; when the buckets together hold a run (<see cref="RunBytes"/>, or
/// the memory budget if smaller), each bucket is sorted and moved out, compressed, as one segment. A segment's
/// records are in key order, ties in input order, and a block's segments follow input order, so a merge that takes
/// ties from earlier segments first is stable.
/// </summary>
internal static class SortedShuffleWriter
{
    /// <summary>
    /// Serialized bytes the buckets hold before they are sorted and moved out. Every run adds a segment to each reduce
    /// partition's block, and each segment a stream to its reduce task's merge; 16 MB keeps a 64 MB split to four or
    /// five runs while the map task holds a quarter of it.
    /// </summary>
    internal const int RunBytes = 16 << 20;

    /// <summary>Writes a map task's shuffle file and index under attempt-scoped names, keys in <see cref="KeyComparer"/>'s order.</summary>
    public static TaskOutput Write<TKey, TValue>(TaskContext context, IEnumerable<(TKey Key, TValue Value)> records, Partitioner<TKey> partitioner, bool descending)
    {
        var codec = RecordCodec.For<(TKey Key, TValue Value)>();
        long budget = context.Environment.MemoryBudgetBytes;
        var buckets = new Bucket?[partitioner.Partitions];
        // Range partitions hold about equal shares of a run: a bucket that outgrows its first buffer goes straight to
        // half again its share, rather than doubling there and leaving each smaller buffer as large-object garbage.
        int share = (int)Math.Min(int.MaxValue, 3L * Math.Min(RunBytes, budget) / (2 * partitioner.Partitions));
        using var movedOut = new MovedOutBlocks(context, partitioner.Partitions);
        using var sorter = new SegmentSorter<TKey>(descending);
        long buffered = 0, count = 0;
        try
        {
            foreach (var record in records)
            {
                int partition = partitioner.PartitionOf(record.Key);
                var bucket = buckets[partition] ??= new Bucket();
                buffered += bucket.Add(codec, record, share);
                count++;
                if (buffered > budget)
                {
                    // Memory pressure, counted as a spill; a run of RunBytes below is routine, like a full frame.
                    long start = movedOut.Length;
                    MoveOutRun(buckets, sorter, movedOut);
                    context.RecordSpill(movedOut.Length - start);
                    buffered = 0;
                }
                else if (buffered >= RunBytes)
                {
                    MoveOutRun(buckets, sorter, movedOut);
                    buffered = 0;
                }
            }
            MoveOutRun(buckets, sorter, movedOut);
            return movedOut.Finish(count, tail: null);
        }
        finally
        {
            foreach (var bucket in buckets) bucket?.Records.Dispose();
        }
    }

    private static void MoveOutRun<TKey>(Bucket?[] buckets, SegmentSorter<TKey> sorter, MovedOutBlocks movedOut)
    {
        for (int p = 0; p < buckets.Length; p++)
        {
            if (buckets[p] is not { Starts.Count: > 0 } bucket) continue;
            sorter.MoveOut(bucket, p, movedOut);
            bucket.Clear();
        }
    }

    /// <summary>One reduce partition's records of the current run, serialized, and where each starts.</summary>
    private sealed class Bucket
    {
        /// <summary>The records, one after another.</summary>
        public RecordWriter Records { get; } = new(null, 4096);

        /// <summary>Where each record starts in <see cref="Records"/>.</summary>
        public List<int> Starts { get; } = [];

        /// <summary>
        /// Appends a record; returns its size. A bucket about to fill a buffer past the sizes the shared pool lends
        /// (which it doubles through, leaving no garbage) grows it to <paramref name="share"/> in one step.
        /// </summary>
        public long Add<T>(RecordCodec<T> codec, T record, int share)
        {
            int start = (int)Records.BytesWritten, capacity = Records.Buffer.Length;
            if (capacity >= RecordWriter.MaxPooledBytes && capacity < share && capacity - start < 4096) Records.Reserve(share);
            Starts.Add(start);
            codec.Write(Records, record);
            return Records.BytesWritten - start;
        }

        /// <summary>Empties the bucket, keeping its buffers for the next run.</summary>
        public void Clear()
        {
            Records.Reset();
            Starts.Clear();
        }
    }

    /// <summary>Sorts a bucket's records by key, ties in insertion order, and moves them out as a segment; reuses its arrays.</summary>
    private sealed class SegmentSorter<TKey>(bool descending) : IDisposable
    {
        private static readonly bool StringKeys = typeof(TKey) == typeof(string);
        private static readonly RecordCodec<TKey> KeyCodec = RecordCodec.For<TKey>();
        private readonly KeyThenPlace _order = new(KeyComparer.For<TKey>(descending));
        private readonly RecordWriter _frame = new(null, 64 << 10);
        private (TKey Key, int Index)[] _keys = [];
        private ulong[] _prefixes = [];
        private int[] _places = [];

        public void MoveOut(Bucket bucket, int partition, MovedOutBlocks movedOut)
        {
            var bytes = bucket.Records.Buffer;
            int end = (int)bucket.Records.BytesWritten, n = bucket.Starts.Count;
            if (_places.Length < n) _places = new int[Math.Max(n, 2 * _places.Length)];
            if (StringKeys) SortByPrefix(bucket, n);
            else SortByKey(bucket, 0, n);
            for (int i = 0; i < n; i++)
            {
                int record = _places[i], start = bucket.Starts[record];
                int stop = record + 1 < n ? bucket.Starts[record + 1] : end;
                _frame.WriteRaw(bytes.AsSpan(start, stop - start));
                if (_frame.BytesWritten >= ShuffleWriter.FrameBytes) FrameOut(partition, movedOut);
            }
            if (_frame.BytesWritten > 0) FrameOut(partition, movedOut);
            movedOut.AppendSegmentEnd(partition);
        }

        public void Dispose() => _frame.Dispose();

        /// <summary>
        /// String keys: sorts by each key's first four UTF-16 units as one number (read from the serialized key, in a
        /// primitive sort that calls no comparer), then decodes and compares in full only the keys whose prefixes tie.
        /// </summary>
        private void SortByPrefix(Bucket bucket, int n)
        {
            if (_prefixes.Length < n) _prefixes = new ulong[_places.Length];
            var bytes = bucket.Records.Buffer.AsSpan(0, (int)bucket.Records.BytesWritten);
            for (int i = 0; i < n; i++)
            {
                _prefixes[i] = StringPrefix.OfSerialized(bytes[bucket.Starts[i]..], descending);
                _places[i] = i;
            }
            Array.Sort(_prefixes, _places, 0, n);
            for (int first = 0; first < n;)
            {
                int last = first + 1;
                while (last < n && _prefixes[last] == _prefixes[first]) last++;
                if (last - first > 1) SortByKey(bucket, first, last - first);
                first = last;
            }
        }

        /// <summary>Sorts the records at <c>_places[from..from + count]</c> (all of them, the first time) by key, then by place.</summary>
        private void SortByKey(Bucket bucket, int from, int count)
        {
            if (_keys.Length < count) _keys = new (TKey, int)[Math.Max(count, 2 * _keys.Length)];
            var bytes = bucket.Records.Buffer;
            int end = (int)bucket.Records.BytesWritten;
            // A pair is written key first, so a record's key is read at its start and its value is never decoded.
            using (var reader = new RecordReader(bytes, 0, end))
            {
                for (int i = 0; i < count; i++)
                {
                    int record = StringKeys ? _places[from + i] : i;
                    reader.MoveTo(bytes, bucket.Starts[record], end);
                    _keys[i] = (KeyCodec.Read(reader), record);
                }
            }
            Array.Sort(_keys, 0, count, _order);
            for (int i = 0; i < count; i++) _places[from + i] = _keys[i].Index;
            // The keys are garbage once sorted; the array stays for the next bucket.
            Array.Clear(_keys, 0, count);
        }

        private void FrameOut(int partition, MovedOutBlocks movedOut)
        {
            movedOut.AppendFrame(partition, _frame.WrittenSpan);
            _frame.Reset();
        }

        /// <summary>By key, then by place (<see cref="Array.Sort{T}(T[], int, int, IComparer{T})"/> is not stable by itself).</summary>
        private sealed class KeyThenPlace(IComparer<TKey> order) : IComparer<(TKey Key, int Index)>
        {
            public int Compare((TKey Key, int Index) x, (TKey Key, int Index) y)
            {
                int c = order.Compare(x.Key, y.Key);
                return c != 0 ? c : x.Index.CompareTo(y.Index);
            }
        }
    }
}

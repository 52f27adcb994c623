using Spark.Serverless.Planning;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// Combines values by key in a hash map (Spark's ExternalAppendOnlyMap): when the map's estimated size passes the
/// task's memory budget, it is written to a spill file sorted by the keys' canonical bytes and started afresh; the
/// result merges the spills, combining equal keys. Memory stays near the budget whatever the partition's size, as
/// long as one key's combined value fits.
/// </summary>
internal sealed class ExternalAggregator<TKey, TValue, TCombiner> : RecordSink<(TKey Key, TValue Value)>, IDisposable where TKey : notnull
{
    /// <summary>
    /// Roughly a key's share of the map's arrays beyond what the estimators count: its 8-byte slot in a table that may
    /// be only 35% full just after growing (23 B), and the unused room of an entries array that then has room for
    /// twice the keys it holds.
    /// </summary>
    private const int EntryOverhead = 48;

    /// <summary>
    /// Values wait in a batch this size before reaching the map, so that the map can ask for every slot, entry and key
    /// the batch's lookups will read before the first lookup waits for one
    /// (<see cref="CombineMap{TKey, TValue}.PrefetchEntries"/>).
    /// </summary>
    /// <remarks>
    /// With WordCount's 200,000 distinct words a partition, those reads miss the cache. Splitting and counting a 64 MB
    /// piece of the bench's corpus on one thread took 1.06-1.09 s in batches of 32 against 1.26-1.29 s a word at a
    /// time (batches of 16: 1.16-1.23 s; of 64: 1.08-1.15 s). In nine alternating pairs of 1 GB WordCount runs, the
    /// map stage took 30.5-39.0 task-seconds against 33.2-59.0, less in eight of the nine. The first six pairs batched
    /// small maps too, and Q1 (four keys) lost about a tenth of its map stage; see <see cref="BatchFromKeys"/>.
    /// </remarks>
    private const int BatchSize = 32;

    /// <summary>
    /// Values are batched only once the map holds this many keys: below, its slots, entries and keys (about 300 KB of
    /// them for short strings) stay in the processor's cache, and batching only adds work. Q1's map stage (four keys)
    /// took 8.98-10.24 task-seconds batched against 7.12-8.76 in three alternating pairs; with this threshold,
    /// 7.82-8.10 against 7.49-8.43.
    /// </summary>
    private const int BatchFromKeys = 4096;
    private static readonly RecordCodec<TKey> KeyCodec = RecordCodec.For<TKey>();
    private static readonly RecordCodec<TCombiner> CombinerCodec = RecordCodec.For<TCombiner>();

    private readonly Aggregator<TValue, TCombiner> _aggregator;
    private readonly TaskContext _context;
    private readonly bool _growsWithValues;
    private readonly long _budget;
    private readonly List<SpillFile> _spills = [];
    private readonly CombineMap<TKey, TCombiner> _map = new();
    private readonly TKey[] _pendingKeys = new TKey[BatchSize];
    private readonly TValue[] _pendingValues = new TValue[BatchSize];
    private readonly int[] _pendingHashes = new int[BatchSize];
    private int _pending;
    private long _estimate;

    /// <param name="aggregator">How values combine.</param>
    /// <param name="context">The task: its memory budget, spill folder and spill counters.</param>
    /// <param name="growsWithValues">Whether a combiner grows with each value (groupByKey's lists) rather than staying one value.</param>
    public ExternalAggregator(Aggregator<TValue, TCombiner> aggregator, TaskContext context, bool growsWithValues)
    {
        _aggregator = aggregator;
        _context = context;
        _growsWithValues = growsWithValues;
        _budget = context.Environment.MemoryBudgetBytes;
    }

    /// <summary>Adds one value of its key.</summary>
    public override void Accept((TKey Key, TValue Value) record) => Insert(record.Key, record.Value);

    /// <summary>
    /// Adds one value of a key. Once the map holds <see cref="BatchFromKeys"/> keys, the value reaches it with the next
    /// few, in the order they came.
    /// </summary>
    public void Insert(TKey key, TValue value)
    {
        int hash = CombineMap<TKey, TCombiner>.HashOf(key);
        if (_pending == 0 && _map.Count < BatchFromKeys)
        {
            // A small map stays in cache, where a batch only adds work; nothing waits, so order is kept.
            Combine(key, hash, value);
            return;
        }
        _map.PrefetchSlot(hash);
        _pendingKeys[_pending] = key;
        _pendingValues[_pending] = value;
        _pendingHashes[_pending++] = hash;
        if (_pending == BatchSize) Drain();
    }

    /// <summary>Combines the values waiting in the batch into the map, in the order they came.</summary>
    private void Drain()
    {
        _map.PrefetchEntries(_pendingHashes.AsSpan(0, _pending));
        for (int i = 0; i < _pending; i++) Combine(_pendingKeys[i], _pendingHashes[i], _pendingValues[i]);
        _pending = 0;
    }

    private void Combine(TKey key, int hash, TValue value)
    {
        ref var slot = ref _map.GetValueRefOrAddDefault(key, hash, out bool exists);
        if (exists)
        {
            slot = _aggregator.MergeValue(slot!, value);
            if (_growsWithValues) _estimate += SizeEstimator<TValue>.Of(value) + 8;
        }
        else
        {
            slot = _aggregator.CreateCombiner(value);
            _estimate += SizeEstimator<TKey>.Of(key) + SizeEstimator<TCombiner>.Of(slot) + EntryOverhead;
        }
        if (_estimate > _budget) Spill();
    }

    /// <summary>Every key with its combined value; each key once. Call once.</summary>
    public IEnumerable<(TKey Key, TCombiner Value)> Result()
    {
        Drain();
        if (_spills.Count == 0)
        {
            foreach (var pair in _map.Pairs()) yield return pair;
            yield break;
        }
        if (_map.Count > 0) Spill();
        foreach (var merged in Merge()) yield return merged;
    }

    /// <summary>Writes the map sorted by canonical key bytes.</summary>
    private void Spill()
    {
        var entries = _map.Pairs().Select(p => (Bytes: KeyBytes<TKey>.Of(p.Key), p.Key, p.Value)).ToArray();
        Array.Sort(entries, (a, b) => ByteArrayComparer.Instance.Compare(a.Bytes, b.Bytes));
        var file = new SpillFile(_context.Environment.SpillDirectory);
        _spills.Add(file);
        var writer = file.Writer;
        foreach (var (bytes, key, value) in entries)
        {
            writer.WriteBytes(bytes);
            KeyCodec.Write(writer, key);
            CombinerCodec.Write(writer, value);
        }
        _context.RecordSpill(file.Length);
        _map.Clear();
        _estimate = 0;
    }

    private IEnumerable<(TKey, TCombiner)> Merge()
    {
        var readers = _spills.Select(s => s.OpenReader()).ToArray();
        var heads = new (byte[] Bytes, TKey Key, TCombiner Value)[readers.Length];
        var queue = new PriorityQueue<int, byte[]>(ByteArrayComparer.Instance);
        try
        {
            for (int i = 0; i < readers.Length; i++)
                if (TryRead(readers[i], out heads[i])) queue.Enqueue(i, heads[i].Bytes);
            while (queue.TryDequeue(out int run, out var bytes))
            {
                var (_, key, combined) = heads[run];
                Advance(run);
                // Every other run whose head has the same key contributes its combiner.
                while (queue.TryPeek(out int next, out var nextBytes) && nextBytes.AsSpan().SequenceEqual(bytes))
                {
                    queue.Dequeue();
                    combined = _aggregator.MergeCombiners(combined, heads[next].Value);
                    Advance(next);
                }
                yield return (key, combined);
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }

        void Advance(int run)
        {
            if (TryRead(readers[run], out heads[run])) queue.Enqueue(run, heads[run].Bytes);
        }
    }

    private static bool TryRead(RecordReader reader, out (byte[] Bytes, TKey Key, TCombiner Value) entry)
    {
        if (reader.AtEnd)
        {
            entry = default;
            return false;
        }
        entry = (reader.ReadBytes()!, KeyCodec.Read(reader), CombinerCodec.Read(reader));
        return true;
    }

    /// <summary>Deletes the spill files.</summary>
    public void Dispose()
    {
        foreach (var spill in _spills) spill.Dispose();
        _spills.Clear();
    }
}

using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A stable external sort of key-value records by key that keeps each value serialized while it waits: values are
/// copied into large byte chunks, and only the key and the value's place are held as objects. A sort partition of
/// short records is then held in about its serialized size plus its keys, instead of one object graph per record
/// (for 100-byte text lines: roughly half the memory), and the garbage collector has almost nothing to trace.
/// Past the task's memory budget the buffer is sorted into a run on local disk and the runs are merged at the end;
/// ties keep their insertion order (within a run values sit in the chunks in insertion order, and an earlier run
/// wins a tie in the merge).
/// </summary>
internal sealed class KeyedSorter<TKey, TValue> : IDisposable
{
    /// <summary>Size of a value chunk; a larger value gets a chunk of its own.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>What an entry costs besides its key and value bytes: the entry itself and the entry array's slack.</summary>
    private const int EntryOverhead = 24;

    private static readonly RecordCodec<TValue> ValueCodec = RecordCodec.For<TValue>();
    private static readonly RecordCodec<(TKey Key, TValue Value)> PairCodec = RecordCodec.For<(TKey Key, TValue Value)>();

    private readonly IComparer<TKey> _order;
    private readonly TaskContext _context;
    private readonly long _budget;
    private readonly List<SpillFile> _runs = [];
    private readonly RecordWriter _scratch = new(null, 256);
    private readonly List<byte[]> _chunks = [];
    private Entry[] _entries = new Entry[256];
    private int _count;
    private int _chunkUsed = ChunkBytes;
    private long _estimate;

    public KeyedSorter(IComparer<TKey> order, TaskContext context)
    {
        _order = order;
        _context = context;
        _budget = context.Environment.MemoryBudgetBytes;
    }

    /// <summary>Adds a record.</summary>
    public void Add(TKey key, TValue value)
    {
        _scratch.Reset();
        ValueCodec.Write(_scratch, value);
        var bytes = _scratch.WrittenSpan;
        if (ChunkBytes - _chunkUsed < bytes.Length)
        {
            _chunks.Add(new byte[Math.Max(ChunkBytes, bytes.Length)]);
            _chunkUsed = 0;
        }
        bytes.CopyTo(_chunks[^1].AsSpan(_chunkUsed));
        if (_count == _entries.Length) Array.Resize(ref _entries, _count * 2);
        _entries[_count++] = new Entry(key, _chunks.Count - 1, _chunkUsed);
        _chunkUsed += bytes.Length;
        _estimate += bytes.Length + EntryOverhead + SizeEstimator<TKey>.Of(key);
        if (_estimate > _budget) SpillRun();
    }

    /// <summary>Every value added, in key order. Call once.</summary>
    public IEnumerable<TValue> Sorted()
    {
        if (_runs.Count == 0) return InMemory();
        if (_count > 0) SpillRun();
        return Merged();
    }

    private IEnumerable<TValue> InMemory()
    {
        using var reader = SortBuffer();
        for (int i = 0; i < _count; i++) yield return ReadValue(reader, _entries[i]);
    }

    private IEnumerable<TValue> Merged()
    {
        var readers = _runs.Select(r => r.OpenReader()).ToArray();
        var heads = new (TKey Key, TValue Value)[readers.Length];
        // Ties go to the earlier run: that is what keeps the merge stable.
        var queue = new PriorityQueue<int, (TKey Key, int Run)>(Comparer<(TKey Key, int Run)>.Create((a, b) =>
        {
            int c = _order.Compare(a.Key, b.Key);
            return c != 0 ? c : a.Run.CompareTo(b.Run);
        }));
        try
        {
            for (int i = 0; i < readers.Length; i++)
                if (!readers[i].AtEnd) queue.Enqueue(i, ((heads[i] = PairCodec.Read(readers[i])).Key, i));
            while (queue.TryDequeue(out int run, out _))
            {
                yield return heads[run].Value;
                if (!readers[run].AtEnd) queue.Enqueue(run, ((heads[run] = PairCodec.Read(readers[run])).Key, run));
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }

    /// <summary>Sorts the entries in place; returns a reader for their values.</summary>
    private RecordReader SortBuffer()
    {
        // Chunk and offset grow with insertion order, so comparing them last makes the sort stable.
        _entries.AsSpan(0, _count).Sort(new EntryOrder(_order));
        return new RecordReader([], 0, 0);
    }

    private TValue ReadValue(RecordReader reader, in Entry entry)
    {
        var chunk = _chunks[entry.Chunk];
        reader.MoveTo(chunk, entry.Offset, chunk.Length);
        return ValueCodec.Read(reader);
    }

    private void SpillRun()
    {
        var file = new SpillFile(_context.Environment.SpillDirectory);
        _runs.Add(file);
        using (var reader = SortBuffer())
        {
            for (int i = 0; i < _count; i++) PairCodec.Write(file.Writer, (_entries[i].Key, ReadValue(reader, _entries[i])));
        }
        _context.RecordSpill(file.Length);
        Clear();
    }

    private void Clear()
    {
        _chunks.Clear();
        _chunkUsed = ChunkBytes;
        _entries = new Entry[256];
        _count = 0;
        _estimate = 0;
    }

    /// <summary>Deletes the runs and lets the buffer go.</summary>
    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
        _runs.Clear();
        Clear();
        _scratch.Dispose();
    }

    /// <summary>A record's key and where its serialized value starts.</summary>
    private readonly record struct Entry(TKey Key, int Chunk, int Offset);

    /// <summary>By key, then by place (insertion order); a struct so the sort's calls to it are direct.</summary>
    private readonly struct EntryOrder(IComparer<TKey> order) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            int c = order.Compare(x.Key, y.Key);
            if (c != 0) return c;
            c = x.Chunk.CompareTo(y.Chunk);
            return c != 0 ? c : x.Offset.CompareTo(y.Offset);
        }
    }
}

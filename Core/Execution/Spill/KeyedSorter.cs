using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A stable external sort of key-value records by key that keeps records serialized while they wait: they are copied
/// into 1 MB byte chunks, and each has one small entry (its key, its place) in a page of entries. A sort partition of
/// short records is then held in about its serialized size, instead of one object graph per record, and the garbage
/// collector has almost nothing to trace. String keys, which sortBy orders ordinally, are kept in the chunks too: the
/// entry holds their first four characters as a number, so most comparisons compare two numbers side by side in a page,
/// and only equal prefixes decode the keys. The pages are sorted one by one and merged. Past the task's memory budget
/// the buffer is sorted into a run on local disk and the runs are merged at the end; ties keep their insertion order
/// (within a run records sit in the chunks in insertion order, and an earlier run wins a tie in the merge).
/// </summary>
internal sealed class KeyedSorter<TKey, TValue> : IDisposable
{
    /// <summary>Size of a chunk; a larger record gets a chunk of its own.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>What an entry costs besides the record's bytes and a key object.</summary>
    private const int EntryOverhead = 24;

    /// <summary>Entries a full page holds (1.5 MB of them); the first page grows to this from a few hundred.</summary>
    private const int PageEntries = 1 << 16;

    /// <summary>String keys live in the chunks, in front of their values, and sort by prefix first.</summary>
    private static readonly bool KeysAsBytes = typeof(TKey) == typeof(string);

    private static readonly RecordCodec<TKey> KeyCodec = RecordCodec.For<TKey>();
    private static readonly RecordCodec<TValue> ValueCodec = RecordCodec.For<TValue>();
    private static readonly RecordCodec<(TKey Key, TValue Value)> PairCodec = RecordCodec.For<(TKey Key, TValue Value)>();

    private readonly IComparer<TKey> _order;
    private readonly bool _descending;
    private readonly TaskContext _context;
    private readonly long _budget;
    private readonly List<SpillFile> _runs = [];
    private readonly RecordWriter _scratch = new(null, 256);
    private readonly List<byte[]> _chunks = [];
    private readonly Stack<byte[]> _spareChunks = new();
    // Entries live in pages, sorted one by one and merged, rather than in one array doubled as it fills: a 71 MB
    // Sort partition's 714,000 entries took a 25 MB array, and the arrays it outgrew were 25 MB more of garbage in
    // the large-object heap at the task's peak.
    private readonly List<Entry[]> _pages = [new Entry[256]];
    private readonly Stack<Entry[]> _sparePages = new();
    private int _inLastPage;
    private int _chunkUsed = ChunkBytes;
    private long _estimate;

    /// <summary>A sorter in <see cref="KeyComparer"/>'s order for <typeparamref name="TKey"/>.</summary>
    public KeyedSorter(bool descending, TaskContext context)
    {
        _order = KeyComparer.For<TKey>(descending);
        _descending = descending;
        _context = context;
        _budget = context.Environment.MemoryBudgetBytes;
    }

    /// <summary>Adds a record.</summary>
    public void Add(TKey key, TValue value)
    {
        _scratch.Reset();
        if (KeysAsBytes) KeyCodec.Write(_scratch, key);
        ValueCodec.Write(_scratch, value);
        var bytes = _scratch.WrittenSpan;
        if (ChunkBytes - _chunkUsed < bytes.Length)
        {
            _chunks.Add(bytes.Length <= ChunkBytes && _spareChunks.TryPop(out var spare) ? spare : new byte[Math.Max(ChunkBytes, bytes.Length)]);
            _chunkUsed = 0;
        }
        bytes.CopyTo(_chunks[^1].AsSpan(_chunkUsed));
        var page = PageWithRoom();
        page[_inLastPage++] = KeysAsBytes
            ? new Entry(StringPrefix((string?)(object?)key), default!, _chunks.Count - 1, _chunkUsed)
            : new Entry(0, key, _chunks.Count - 1, _chunkUsed);
        _chunkUsed += bytes.Length;
        _estimate += bytes.Length + EntryOverhead + (KeysAsBytes ? 0 : SizeEstimator<TKey>.Of(key));
        if (_estimate > _budget) SpillRun();
    }

    /// <summary>Every value added, in key order. Call once.</summary>
    public IEnumerable<TValue> Sorted()
    {
        if (_runs.Count == 0) return InMemory();
        if (_pages.Count > 1 || _inLastPage > 0) SpillRun();
        // The merge reads the runs from disk; the buffer they were sorted in is no longer needed.
        ReleaseBuffer();
        return RunMerge.Stable(_runs, Comparer<(TKey Key, TValue Value)>.Create((a, b) => _order.Compare(a.Key, b.Key))).Select(pair => pair.Value);
    }

    private IEnumerable<TValue> InMemory()
    {
        var entries = SortEntries();
        using var reader = new RecordReader([], 0, 0);
        while (entries.TryNext(out var entry)) yield return ReadValue(reader, entry);
    }

    /// <summary>The last page, grown or followed by a new one if it is full.</summary>
    private Entry[] PageWithRoom()
    {
        var page = _pages[^1];
        if (_inLastPage < page.Length) return page;
        if (page.Length < PageEntries)
        {
            Array.Resize(ref page, Math.Max(256, page.Length * 2));
            return _pages[^1] = page;
        }
        _pages.Add(page = _sparePages.TryPop(out var spare) ? spare : new Entry[PageEntries]);
        _inLastPage = 0;
        return page;
    }

    /// <summary>Sorts the pages and merges them.</summary>
    private PageMerge<Entry, EntryOrder> SortEntries()
        // Chunk and offset grow with insertion order, so comparing them last makes the order total and the sort stable.
        => new(_pages, _inLastPage, new EntryOrder(_order, _descending, _chunks));

    /// <summary>An entry's value alone (a key in the chunk is stepped over, not decoded).</summary>
    private TValue ReadValue(RecordReader reader, in Entry entry)
    {
        var chunk = _chunks[entry.Chunk];
        int start = entry.Offset;
        if (KeysAsBytes) start += RecordReader.StringHeader(chunk.AsSpan(start), out int length, out _) + length;
        reader.MoveTo(chunk, start, chunk.Length);
        return ValueCodec.Read(reader);
    }

    /// <summary>An entry's record, its key from the entry or from the chunk.</summary>
    private (TKey Key, TValue Value) Read(RecordReader reader, in Entry entry)
    {
        var chunk = _chunks[entry.Chunk];
        reader.MoveTo(chunk, entry.Offset, chunk.Length);
        var key = KeysAsBytes ? KeyCodec.Read(reader) : entry.Key;
        return (key, ValueCodec.Read(reader));
    }

    /// <summary>A string's first four UTF-16 units, big-endian, zeros past its end: prefixes order as the strings do, where they differ.</summary>
    private static ulong StringPrefix(string? key)
    {
        if (key is null) return 0;
        ulong prefix = 0;
        for (int i = 0; i < 4; i++) prefix = (prefix << 16) | (i < key.Length ? key[i] : 0u);
        return prefix;
    }

    private void SpillRun()
    {
        var file = new SpillFile(_context.Environment.SpillDirectory);
        _runs.Add(file);
        var entries = SortEntries();
        using (var reader = new RecordReader([], 0, 0))
        {
            while (entries.TryNext(out var entry)) PairCodec.Write(file.Writer, Read(reader, entry));
        }
        _context.RecordSpill(file.Length);
        // The next run fills the same chunks and entry pages. Dropped, they would be garbage in the large-object heap,
        // which only a full collection frees: the heap grew by a budget's worth per run, and a 71 MB Sort partition
        // spilled in four runs under a 32 MB budget peaked as high as it did unspilled.
        foreach (var chunk in _chunks)
            if (chunk.Length == ChunkBytes) _spareChunks.Push(chunk);
        foreach (var page in _pages)
        {
            Array.Clear(page);
            if (page.Length == PageEntries) _sparePages.Push(page);
        }
        Reset();
    }

    private void ReleaseBuffer()
    {
        _spareChunks.Clear();
        _sparePages.Clear();
        _pages.Clear();
        _pages.Add([]);
    }

    private void Reset()
    {
        _chunks.Clear();
        _chunkUsed = ChunkBytes;
        _pages.Clear();
        _pages.Add(_sparePages.TryPop(out var spare) ? spare : new Entry[256]);
        _inLastPage = 0;
        _estimate = 0;
    }

    /// <summary>Deletes the runs and lets the buffer go.</summary>
    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
        _runs.Clear();
        Reset();
        ReleaseBuffer();
        _scratch.Dispose();
    }

    /// <summary>A record's key (or a string key's prefix) and where its serialized record starts.</summary>
    private readonly record struct Entry(ulong Prefix, TKey Key, int Chunk, int Offset);

    /// <summary>By key, then by place (insertion order); a struct so the sort's calls to it are direct.</summary>
    private readonly struct EntryOrder(IComparer<TKey> order, bool descending, List<byte[]> chunks) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            int c = KeysAsBytes ? CompareStringKeys(x, y) : order.Compare(x.Key, y.Key);
            if (c != 0) return c;
            c = x.Chunk.CompareTo(y.Chunk);
            return c != 0 ? c : x.Offset.CompareTo(y.Offset);
        }

        private int CompareStringKeys(in Entry x, in Entry y)
        {
            int c = x.Prefix != y.Prefix ? (x.Prefix < y.Prefix ? -1 : 1) : CompareKeyBytes(x, y);
            return descending ? -c : c;
        }

        /// <summary>Two keys whose prefixes tie, decoded from the chunks and compared ordinally (null first, as <see cref="StringComparer.Ordinal"/>).</summary>
        private int CompareKeyBytes(in Entry x, in Entry y)
        {
            var a = KeyBytes(x, out bool aNull);
            var b = KeyBytes(y, out bool bNull);
            if (aNull || bNull) return aNull == bNull ? 0 : aNull ? -1 : 1;
            // UTF-8's byte order is code point order, which differs from UTF-16's ordinal order once surrogates are
            // involved, so the keys are compared as UTF-16.
            int most = Math.Max(a.Length, b.Length);
            char[]? rented = most > 256 ? System.Buffers.ArrayPool<char>.Shared.Rent(2 * most) : null;
            Span<char> chars = rented is null ? stackalloc char[512] : rented;
            int na = System.Text.Encoding.UTF8.GetChars(a, chars);
            int nb = System.Text.Encoding.UTF8.GetChars(b, chars[na..]);
            int c = chars[..na].SequenceCompareTo(chars.Slice(na, nb));
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
            return c;
        }

        private ReadOnlySpan<byte> KeyBytes(in Entry entry, out bool isNull)
        {
            var bytes = chunks[entry.Chunk].AsSpan(entry.Offset);
            int header = RecordReader.StringHeader(bytes, out int length, out isNull);
            return bytes.Slice(header, length);
        }
    }
}

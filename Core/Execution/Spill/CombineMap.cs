using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// The hash map a task combines values by key in (reduceByKey, aggregateByKey, groupByKey): open addressing with
/// linear probing over an array of slots that hold only a key's hash and where its entry is, and the entries (key
/// and value) in a second array in the order the keys came. A lookup reads one slot, and an entry only when the
/// hashes match, where <see cref="Dictionary{TKey, TValue}"/> reads a bucket and then an entry whatever the hash:
/// with WordCount's 200,000 distinct words a partition, each of those reads is a cache miss.
/// </summary>
/// <remarks>
/// <para>
/// The keys live apart from the slots for the collector's sake: counting a 62.5 MB WordCount partition paused
/// 0.35-0.42 s with the keys in the slots against 0.07-0.09 s with them in arrival order. The likely reason, from
/// how the collector works (its parts were not timed apart): a new key is a young object that an old array (the
/// map's arrays soon reach the large-object heap) refers to, and every young collection scans the parts of old
/// arrays holding such references until the key is promoted. In slots, whose order is the hashes', the new keys are
/// spread over the whole table; in arrival order they sit together at the end.
/// </para>
/// <para>
/// Hashes come from <see cref="EqualityComparer{T}.Default"/> (randomized per process for strings, so crafted keys
/// cannot make the probes long) and are spread by Fibonacci hashing before their top bits pick a slot, so keys whose
/// hashes differ only in high bits (longs that are multiples of a power of two) do not pile up.
/// </para>
/// </remarks>
internal sealed class CombineMap<TKey, TValue> where TKey : notnull
{
    private const int MinimumCapacity = 16;
    private const int MaximumCapacity = 1 << 30;

    private Slot[] _slots;
    private Entry[] _entries;
    private int _shift;
    private int _growAt;

    /// <summary>An empty map.</summary>
    public CombineMap()
    {
        _entries = [];
        Allocate(MinimumCapacity);
    }

    /// <summary>Keys held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// A reference to the value of <paramref name="key"/>, added with its default value if absent; valid until the
    /// next addition.
    /// </summary>
    public ref TValue GetValueRefOrAddDefault(TKey key, out bool exists) =>
        ref GetValueRefOrAddDefault(key, HashOf(key), out exists);

    /// <summary>
    /// <see cref="GetValueRefOrAddDefault(TKey, out bool)"/> for a key whose hash <see cref="HashOf"/> gave; with a
    /// hash from elsewhere the key is lost.
    /// </summary>
    public ref TValue GetValueRefOrAddDefault(TKey key, int hash, out bool exists)
    {
        var slots = _slots;
        uint mask = (uint)slots.Length - 1;
        uint index = Spread(hash, _shift);
        while (true)
        {
            ref var slot = ref slots[index];
            if (slot.Hash == 0)
            {
                if (Count >= _growAt)
                {
                    Grow();
                    return ref GetValueRefOrAddDefault(key, hash, out exists);
                }
                slot.Hash = hash;
                slot.Entry = Count;
                ref var added = ref _entries[Count++];
                added.Key = key;
                exists = false;
                return ref added.Value;
            }
            if (slot.Hash == hash)
            {
                ref var entry = ref _entries[slot.Entry];
                if (EqualityComparer<TKey>.Default.Equals(entry.Key, key))
                {
                    exists = true;
                    return ref entry.Value;
                }
            }
            index = (index + 1) & mask;
        }
    }

    /// <summary>Every key with its value, in the order the keys came; the map must not change meanwhile.</summary>
    public IEnumerable<(TKey Key, TValue Value)> Pairs()
    {
        var entries = _entries;
        for (int i = 0; i < Count; i++)
            yield return (entries[i].Key, entries[i].Value);
    }

    /// <summary>
    /// Empties the map, keeping its arrays: an aggregator that spilled fills the map again to about the same size, and
    /// new arrays grown to it would leave each run's as large-object garbage.
    /// </summary>
    public void Clear()
    {
        Array.Clear(_slots);
        // The entries' references would keep the spilled keys and values alive.
        Array.Clear(_entries, 0, Count);
        Count = 0;
    }

    /// <summary>The hash <paramref name="key"/> is stored under (never 0).</summary>
    public static int HashOf(TKey key)
    {
        int hash = EqualityComparer<TKey>.Default.GetHashCode(key);
        // Zero marks an empty slot.
        return hash == 0 ? 1 : hash;
    }

    /// <summary>
    /// Asks the processor to start loading the slot a lookup of <paramref name="hash"/> reads first, so that a lookup a
    /// few keys later finds it in cache; a hint only, and nothing on processors without a prefetch instruction.
    /// </summary>
    public unsafe void PrefetchSlot(int hash)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(Unsafe.AsPointer(ref _slots[Spread(hash, _shift)]));
    }

    /// <summary>
    /// For lookups of <paramref name="hashes"/> whose slots <see cref="PrefetchSlot"/> has asked for: starts loading
    /// the entries whose first slot holds the same hash, then (for keys that are objects) the keys those entries hold,
    /// which the lookup compares. Each step waits only for the loads the step before it started for all the keys
    /// together, where a lookup on its own waits for the slot, the entry and the key one after another. For a batch of
    /// a few dozen hashes: their entries' places are held on the stack.
    /// </summary>
    public unsafe void PrefetchEntries(ReadOnlySpan<int> hashes)
    {
        if (!Sse.IsSupported) return;
        Span<int> found = stackalloc int[hashes.Length];
        var slots = _slots;
        for (int i = 0; i < hashes.Length; i++)
        {
            ref var slot = ref slots[Spread(hashes[i], _shift)];
            found[i] = slot.Hash == hashes[i] ? slot.Entry : -1;
            if (found[i] >= 0) Sse.Prefetch0(Unsafe.AsPointer(ref _entries[found[i]]));
        }
        if (typeof(TKey).IsValueType) return;
        for (int i = 0; i < found.Length; i++)
        {
            // The key's address read out of its reference: if the collector moves the key meanwhile, the hint
            // loads a line nobody reads, and a prefetch never faults.
            if (found[i] >= 0) Sse.Prefetch0((void*)Unsafe.As<TKey, nint>(ref _entries[found[i]].Key));
        }
    }

    private static uint Spread(int hash, int shift) => unchecked((uint)hash * 0x9E3779B9u) >> shift;

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_slots))]
    private void Allocate(int capacity)
    {
        _slots = new Slot[capacity];
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
        // Linear probing stays short below about 70% full; the entries need room for no more keys than that.
        _growAt = (int)(capacity * 0.7);
        var entries = new Entry[_growAt];
        Array.Copy(_entries, entries, Count);
        _entries = entries;
    }

    private void Grow()
    {
        var old = _slots;
        if (old.Length == MaximumCapacity) throw new InvalidOperationException("A combine map cannot hold more than 2^30 keys.");
        Allocate(old.Length * 2);
        var slots = _slots;
        uint mask = (uint)slots.Length - 1;
        foreach (ref var slot in old.AsSpan())
        {
            if (slot.Hash == 0) continue;
            uint index = Spread(slot.Hash, _shift);
            while (slots[index].Hash != 0) index = (index + 1) & mask;
            slots[index] = slot;
        }
    }

    /// <summary>A key's place in the table: its hash (0 when free) and the index of its entry.</summary>
    private struct Slot
    {
        public int Hash;
        public int Entry;
    }

    private struct Entry
    {
        public TKey Key;
        public TValue Value;
    }
}

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// The hash map a task combines values by key in (reduceByKey, aggregateByKey, groupByKey): open addressing with
/// linear probing over one array of slots, each holding a key's hash, the key and its value together. A lookup
/// reads one slot and the key it compares with, where <see cref="Dictionary{TKey, TValue}"/> reads a bucket, then an
/// entry, then the key: with WordCount's 200,000 distinct words a partition, each of those reads is a cache miss,
/// and the map was half of a map task's time.
/// </summary>
/// <remarks>
/// Hashes come from <see cref="EqualityComparer{T}.Default"/> (randomized per process for strings, so crafted keys
/// cannot make the probes long) and are spread by Fibonacci hashing before their top bits pick a slot, so keys whose
/// hashes differ only in high bits (longs that are multiples of a power of two) do not pile up.
/// </remarks>
internal sealed class CombineMap<TKey, TValue> where TKey : notnull
{
    private const int MinimumCapacity = 16;
    private const int MaximumCapacity = 1 << 30;

    private Slot[] _slots;
    private int _shift;
    private int _growAt;

    /// <summary>An empty map.</summary>
    public CombineMap() => Allocate(MinimumCapacity);

    /// <summary>Keys held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// A reference to the value of <paramref name="key"/>, added with its default value if absent; valid until the
    /// next addition.
    /// </summary>
    public ref TValue GetValueRefOrAddDefault(TKey key, out bool exists)
    {
        int hash = HashOf(key);
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
                    return ref GetValueRefOrAddDefault(key, out exists);
                }
                slot.Hash = hash;
                slot.Key = key;
                Count++;
                exists = false;
                return ref slot.Value;
            }
            if (slot.Hash == hash && EqualityComparer<TKey>.Default.Equals(slot.Key, key))
            {
                exists = true;
                return ref slot.Value;
            }
            index = (index + 1) & mask;
        }
    }

    /// <summary>Every key with its value, in no particular order; the map must not change meanwhile.</summary>
    public IEnumerable<(TKey Key, TValue Value)> Pairs()
    {
        var slots = _slots;
        for (int i = 0; i < slots.Length; i++)
            if (slots[i].Hash != 0)
                yield return (slots[i].Key, slots[i].Value);
    }

    /// <summary>
    /// Empties the map, keeping its slots: an aggregator that spilled fills the map again to about the same size, and
    /// a new array grown to it would leave each run's slots as large-object garbage.
    /// </summary>
    public void Clear()
    {
        Array.Clear(_slots);
        Count = 0;
    }

    private static int HashOf(TKey key)
    {
        int hash = EqualityComparer<TKey>.Default.GetHashCode(key);
        // Zero marks an empty slot.
        return hash == 0 ? 1 : hash;
    }

    private static uint Spread(int hash, int shift) => unchecked((uint)hash * 0x9E3779B9u) >> shift;

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_slots))]
    private void Allocate(int capacity)
    {
        _slots = new Slot[capacity];
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
        // Linear probing stays short below about 70% full.
        _growAt = (int)(capacity * 0.7);
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

    private struct Slot
    {
        public int Hash;
        public TKey Key;
        public TValue Value;
    }
}

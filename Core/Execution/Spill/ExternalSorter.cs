using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A stable sort that spills: items are buffered until their estimated size passes the task's memory budget, then
/// sorted and written as a run; the result merges the runs. Ties keep their insertion order, within a run by a
/// stable sort and across runs because an earlier run wins a tie.
/// </summary>
internal sealed class ExternalSorter<T> : IDisposable
{
    private const int ItemOverhead = 16;
    private static readonly RecordCodec<T> Codec = RecordCodec.For<T>();

    private readonly IComparer<T> _comparer;
    private readonly TaskContext _context;
    private readonly List<SpillFile> _runs = [];
    private List<T> _buffer = [];
    private long _estimate;

    public ExternalSorter(IComparer<T> comparer, TaskContext context)
    {
        _comparer = comparer;
        _context = context;
    }

    /// <summary>Adds an item.</summary>
    public void Add(T item)
    {
        _buffer.Add(item);
        _estimate += SizeEstimator<T>.Of(item) + ItemOverhead;
        if (_estimate > _context.Environment.MemoryBudgetBytes) SpillRun();
    }

    /// <summary>Every item added, in order. Call once.</summary>
    public IEnumerable<T> Sorted()
    {
        if (_runs.Count == 0)
        {
            foreach (var item in SortBuffer()) yield return item;
            yield break;
        }
        if (_buffer.Count > 0) SpillRun();
        foreach (var item in RunMerge.Stable(_runs, _comparer)) yield return item;
    }

    private T[] SortBuffer()
    {
        var items = _buffer.ToArray();
        var order = new int[items.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = _comparer.Compare(items[a], items[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var sorted = new T[items.Length];
        for (int i = 0; i < order.Length; i++) sorted[i] = items[order[i]];
        return sorted;
    }

    private void SpillRun()
    {
        var file = new SpillFile(_context.Environment.SpillDirectory);
        _runs.Add(file);
        foreach (var item in SortBuffer()) Codec.Write(file.Writer, item);
        _context.RecordSpill(file.Length);
        _buffer = [];
        _estimate = 0;
    }

    /// <summary>Deletes the runs.</summary>
    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
        _runs.Clear();
        _buffer = [];
    }
}

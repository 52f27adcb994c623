using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>Merges sorted runs: runs spilled to local files by the sorters, and a range exchange's sorted segments.</summary>
internal static class RunMerge
{
    /// <summary>
    /// The records of every run in <paramref name="order"/>; records that tie come from the earlier run first, so a
    /// merge of stable runs written in insertion order is stable.
    /// </summary>
    public static IEnumerable<T> Stable<T>(IReadOnlyList<SpillFile> runs, IComparer<T> order) =>
        Stable([.. runs.Select(Records<T>)], order);

    /// <summary>
    /// The records of every sorted source in <paramref name="order"/>, ties from the earlier source first. With a
    /// <paramref name="prefix"/> (a number per record that orders records as <paramref name="order"/> does wherever
    /// two differ), the heads are compared by it first, and by the order only where it ties.
    /// </summary>
    public static IEnumerable<T> Stable<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order, Func<T, ulong>? prefix = null)
    {
        // A binary heap of source numbers over each source's head (and its prefix), rather than a PriorityQueue of
        // (record, source) pairs behind a comparer delegate: that queue was 12% of the executors' samples in the Sort.
        int count = sources.Count, size = 0;
        var cursors = new IEnumerator<T>[count];
        var heads = new T[count];
        var prefixes = new ulong[count];
        var heap = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                cursors[i] = sources[i].GetEnumerator();
                if (!Advance(i)) continue;
                heap[size] = i;
                SiftUp(size++);
            }
            while (size > 0)
            {
                int top = heap[0];
                yield return heads[top];
                // The source's next record replaces its head at the root; a source used up gives the root to the heap's last.
                if (!Advance(top)) heap[0] = heap[--size];
                if (size > 0) SiftDown(0);
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor?.Dispose();
        }

        bool Advance(int source)
        {
            if (!cursors[source].MoveNext()) return false;
            heads[source] = cursors[source].Current;
            if (prefix is not null) prefixes[source] = prefix(heads[source]);
            return true;
        }

        bool Before(int a, int b)
        {
            if (prefixes[a] != prefixes[b]) return prefixes[a] < prefixes[b];
            int c = order.Compare(heads[a], heads[b]);
            return c != 0 ? c < 0 : a < b;
        }

        void SiftUp(int at)
        {
            while (at > 0 && Before(heap[at], heap[(at - 1) / 2]))
            {
                (heap[at], heap[(at - 1) / 2]) = (heap[(at - 1) / 2], heap[at]);
                at = (at - 1) / 2;
            }
        }

        void SiftDown(int at)
        {
            while (true)
            {
                int least = at, left = 2 * at + 1, right = left + 1;
                if (left < size && Before(heap[left], heap[least])) least = left;
                if (right < size && Before(heap[right], heap[least])) least = right;
                if (least == at) return;
                (heap[at], heap[least]) = (heap[least], heap[at]);
                at = least;
            }
        }
    }

    /// <summary>
    /// Like <see cref="Stable{T}(IReadOnlyList{IEnumerable{T}}, IComparer{T}, Func{T, ulong})"/>, with at most <paramref name="width"/>
    /// sources open at once (each holds buffers): wider merges first merge consecutive groups of sources into runs on
    /// local disk, which keeps ties in source order.
    /// </summary>
    public static IEnumerable<T> Bounded<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order, int width, TaskContext context, Func<T, ulong>? prefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        if (sources.Count <= width) return Stable(sources, order, prefix);
        return MergedInGroups(sources, order, width, context, prefix);
    }

    private static IEnumerable<T> MergedInGroups<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order, int width, TaskContext context, Func<T, ulong>? prefix)
    {
        var codec = RecordCodec.For<T>();
        var runs = new List<SpillFile>();
        try
        {
            for (int first = 0; first < sources.Count; first += width)
            {
                var run = new SpillFile(context.Environment.SpillDirectory);
                runs.Add(run);
                foreach (var record in Stable([.. sources.Skip(first).Take(width)], order, prefix)) codec.Write(run.Writer, record);
                context.RecordSpill(run.Length);
            }
            foreach (var record in Bounded([.. runs.Select(Records<T>)], order, width, context, prefix)) yield return record;
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    /// <summary>A run's records, read back when first asked for.</summary>
    private static IEnumerable<T> Records<T>(SpillFile run)
    {
        var codec = RecordCodec.For<T>();
        using var reader = run.OpenReader();
        while (!reader.AtEnd) yield return codec.Read(reader);
    }
}

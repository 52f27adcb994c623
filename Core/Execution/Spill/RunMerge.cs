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

    /// <summary>The records of every sorted source in <paramref name="order"/>, ties from the earlier source first.</summary>
    public static IEnumerable<T> Stable<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order)
    {
        var cursors = new IEnumerator<T>[sources.Count];
        var queue = new PriorityQueue<int, (T Item, int Run)>(Comparer<(T Item, int Run)>.Create((a, b) =>
        {
            int c = order.Compare(a.Item, b.Item);
            return c != 0 ? c : a.Run.CompareTo(b.Run);
        }));
        try
        {
            for (int i = 0; i < cursors.Length; i++)
            {
                cursors[i] = sources[i].GetEnumerator();
                if (cursors[i].MoveNext()) queue.Enqueue(i, (cursors[i].Current, i));
            }
            while (queue.TryDequeue(out int run, out var head))
            {
                yield return head.Item;
                if (cursors[run].MoveNext()) queue.Enqueue(run, (cursors[run].Current, run));
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor?.Dispose();
        }
    }

    /// <summary>
    /// Like <see cref="Stable{T}(IReadOnlyList{IEnumerable{T}}, IComparer{T})"/>, with at most <paramref name="width"/>
    /// sources open at once (each holds buffers): wider merges first merge consecutive groups of sources into runs on
    /// local disk, which keeps ties in source order.
    /// </summary>
    public static IEnumerable<T> Bounded<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order, int width, TaskContext context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        if (sources.Count <= width) return Stable(sources, order);
        return MergedInGroups(sources, order, width, context);
    }

    private static IEnumerable<T> MergedInGroups<T>(IReadOnlyList<IEnumerable<T>> sources, IComparer<T> order, int width, TaskContext context)
    {
        var codec = RecordCodec.For<T>();
        var runs = new List<SpillFile>();
        try
        {
            for (int first = 0; first < sources.Count; first += width)
            {
                var run = new SpillFile(context.Environment.SpillDirectory);
                runs.Add(run);
                foreach (var record in Stable([.. sources.Skip(first).Take(width)], order)) codec.Write(run.Writer, record);
                context.RecordSpill(run.Length);
            }
            foreach (var record in Bounded([.. runs.Select(Records<T>)], order, width, context)) yield return record;
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

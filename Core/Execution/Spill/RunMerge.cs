using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>Merges sorted runs spilled to local files, for the sorters.</summary>
internal static class RunMerge
{
    /// <summary>
    /// The records of every run in <paramref name="order"/>; records that tie come from the earlier run first, so a
    /// merge of stable runs written in insertion order is stable.
    /// </summary>
    public static IEnumerable<T> Stable<T>(IReadOnlyList<SpillFile> runs, IComparer<T> order)
    {
        var codec = RecordCodec.For<T>();
        var readers = runs.Select(r => r.OpenReader()).ToArray();
        var heads = new T[readers.Length];
        var queue = new PriorityQueue<int, (T Item, int Run)>(Comparer<(T Item, int Run)>.Create((a, b) =>
        {
            int c = order.Compare(a.Item, b.Item);
            return c != 0 ? c : a.Run.CompareTo(b.Run);
        }));
        try
        {
            for (int i = 0; i < readers.Length; i++)
                if (!readers[i].AtEnd) queue.Enqueue(i, (heads[i] = codec.Read(readers[i]), i));
            while (queue.TryDequeue(out int run, out _))
            {
                yield return heads[run];
                if (!readers[run].AtEnd) queue.Enqueue(run, (heads[run] = codec.Read(readers[run]), run));
            }
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }
}

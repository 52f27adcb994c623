namespace Spark.Serverless.IO;

/// <summary>
/// Cuts input blobs into byte-range splits the way Hadoop's FileInputFormat does:
/// split size = max(minSplitBytes, min(maxSplitBytes, total / minPartitions)), with a 10% slop on the last split.
/// </summary>
public static class SplitPlanner
{
    private const double SplitSlop = 1.1;

    /// <summary>A blob as listed: its container, name and length.</summary>
    /// <param name="Container">The container.</param>
    /// <param name="Name">The blob name.</param>
    /// <param name="Length">The length in bytes.</param>
    /// <param name="ETag">The blob's ETag.</param>
    public sealed record ListedBlob(string Container, string Name, long Length, string? ETag = null);

    /// <summary>Plans the splits of the given blobs. Zero-byte blobs get no split: they hold no records.</summary>
    /// <param name="blobs">The blobs, in the order their records should be read.</param>
    /// <param name="minPartitions">The fewest splits wanted (0 means no preference).</param>
    /// <param name="maxSplitBytes">The largest split.</param>
    /// <param name="minSplitBytes">The smallest split worth a task.</param>
    /// <param name="splittable">False to give each blob one split whatever its size (multi-line CSV records).</param>
    public static IReadOnlyList<InputSplit> Plan(IReadOnlyList<ListedBlob> blobs, int minPartitions, long maxSplitBytes, long minSplitBytes = 1, bool splittable = true)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSplitBytes, 1);
        long total = blobs.Sum(b => b.Length);
        long goal = minPartitions > 0 ? (total + minPartitions - 1) / minPartitions : total;
        long splitSize = splittable ? Math.Max(Math.Max(minSplitBytes, 1), Math.Min(maxSplitBytes, Math.Max(goal, 1))) : long.MaxValue;
        var splits = new List<InputSplit>();
        foreach (var blob in blobs)
        {
            long remaining = blob.Length;
            long start = 0;
            while ((double)remaining / splitSize > SplitSlop)
            {
                splits.Add(new InputSplit(blob.Container, blob.Name, start, splitSize, blob.Length, blob.ETag));
                start += splitSize;
                remaining -= splitSize;
            }
            if (remaining > 0)
                splits.Add(new InputSplit(blob.Container, blob.Name, start, remaining, blob.Length, blob.ETag));
        }
        return splits;
    }
}

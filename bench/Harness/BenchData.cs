using System.Text;
using Spark.Serverless.Bench.Generators;

namespace Spark.Serverless.Bench.Harness;

/// <summary>The local input files of one benchmark size, generated once and reused while they are complete.</summary>
/// <param name="Folder">Where they live.</param>
/// <param name="TextFiles">The Zipf text corpus.</param>
/// <param name="SortFiles">The 100-byte sort records.</param>
/// <param name="LineItem">TPC-H-like <c>lineitem.csv</c>.</param>
/// <param name="Orders">TPC-H-like <c>orders.csv</c>.</param>
internal sealed record BenchData(string Folder, IReadOnlyList<string> TextFiles, IReadOnlyList<string> SortFiles, string LineItem, string Orders)
{
    /// <summary>Files of this size split into parts: several map tasks per input without thousands of tiny blobs.</summary>
    private const long FileBytes = 128L << 20;

    /// <summary>The bytes of an order and its line items, measured on a sample of the generator (about 4 line items each).</summary>
    private static double LineItemBytesPerOrder()
    {
        using var orders = new StringWriter();
        using var items = new StringWriter();
        TpchGenerator.Write(orders, items, 1, 10_000, 7, headers: false);
        return items.ToString().Length / 10_000.0;
    }

    /// <summary>The data of <paramref name="bytes"/> per workload under <paramref name="root"/>, generated if missing.</summary>
    public static BenchData Prepare(string root, long bytes, Action<string> say)
    {
        string folder = Path.Combine(root, $"{bytes}");
        int files = (int)Math.Max(1, (bytes + FileBytes - 1) / FileBytes);
        var data = new BenchData(folder,
            [.. Enumerable.Range(0, files).Select(i => Path.Combine(folder, "text", $"book-{i:D3}.txt"))],
            [.. Enumerable.Range(0, files).Select(i => Path.Combine(folder, "sort", $"records-{i:D3}.txt"))],
            Path.Combine(folder, "tpch", "lineitem.csv"), Path.Combine(folder, "tpch", "orders.csv"));
        string done = Path.Combine(folder, ".complete");
        if (File.Exists(done)) return data;

        say($"generating {bytes / 1e6:0} MB per workload into {folder} (once; reused while it is complete)");
        foreach (var sub in new[] { "text", "sort", "tpch" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        long records = bytes / SortRecords.RecordBytes;
        long perFile = (records + files - 1) / files;
        var corpus = new TextCorpus();
        // One generator per file and core: each file's content depends only on its seed, so the order does not matter.
        var jobs = new List<Action>();
        for (int i = 0; i < files; i++)
        {
            int n = i;
            jobs.Add(() =>
            {
                using var writer = new StreamWriter(data.TextFiles[n], false, new UTF8Encoding(false), 1 << 16);
                corpus.Write(writer, bytes / files, 42 + (ulong)n);
            });
            jobs.Add(() =>
            {
                using var stream = new FileStream(data.SortFiles[n], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                long first = n * perFile;
                SortRecords.Write(stream, first, Math.Max(0, Math.Min(perFile, records - first)), 1234);
            });
        }
        jobs.Add(() =>
        {
            long orderCount = (long)(bytes / LineItemBytesPerOrder());
            using var ordersFile = new StreamWriter(data.Orders, false, new UTF8Encoding(false), 1 << 20);
            using var itemsFile = new StreamWriter(data.LineItem, false, new UTF8Encoding(false), 1 << 20);
            TpchGenerator.Write(ordersFile, itemsFile, 1, orderCount, 7, headers: true);
        });
        // The TPC-H file is the slowest: start it first.
        jobs.Reverse();
        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, [.. jobs]);
        File.WriteAllText(done, DateTimeOffset.UtcNow.ToString("O"));
        return data;
    }

    /// <summary>The total size of some files.</summary>
    public static long SizeOf(IEnumerable<string> files) => files.Sum(f => new FileInfo(f).Length);
}

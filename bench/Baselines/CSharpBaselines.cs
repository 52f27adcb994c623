using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Spark.Serverless.Bench.Baselines;

/// <summary>
/// Tuned single-process C# versions of the workloads: local files, every core, byte-level parsing, no per-record
/// objects where they can be avoided. They set the bar the platform is measured against, and check its answers.
/// </summary>
internal static class CSharpBaselines
{
    private static int Workers => Environment.ProcessorCount;

    /// <summary>Counts space-separated words, as the platform's WordCount does; returns the summary both are compared on.</summary>
    public static WordCounts WordCount(IReadOnlyList<string> files)
    {
        var partials = new List<Dictionary<string, long>>();
        Parallel.ForEach(LineChunks.Split(files, Workers), new ParallelOptions { MaxDegreeOfParallelism = Workers },
            () => new Dictionary<string, long>(1 << 16, StringComparer.Ordinal),
            (chunk, state, counts) =>
            {
                var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
                char[] chars = new char[1 << 16];
                LineChunks.ForEachLine(chunk, line =>
                {
                    if (chars.Length < line.Length) chars = new char[line.Length * 2];
                    int n = Encoding.UTF8.GetChars(line, chars);
                    var text = chars.AsSpan(0, n);
                    foreach (var range in text.Split(' '))
                    {
                        var word = text[range];
                        if (word.IsEmpty) continue;
                        CollectionsMarshal.GetValueRefOrAddDefault(lookup, word, out _)++;
                    }
                });
                return counts;
            },
            counts => { lock (partials) partials.Add(counts); });
        var total = partials[0];
        foreach (var other in partials.Skip(1))
            foreach (var (word, count) in other) CollectionsMarshal.GetValueRefOrAddDefault(total, word, out _) += count;
        return WordCounts.From(total);
    }

    /// <summary>Sorts the records by their 10-byte key into <paramref name="output"/>; returns the output's SHA-256.</summary>
    public static string Sort(IReadOnlyList<string> files, string output)
    {
        var blocks = files.Select(File.ReadAllBytes).ToArray();
        int buckets = Workers * 4;
        // Keys are uniform over the printable bytes: splitting on the first byte balances the buckets.
        var lists = Enumerable.Range(0, buckets).Select(_ => new List<SortEntry>()).ToArray();
        Parallel.For(0, blocks.Length, new ParallelOptions { MaxDegreeOfParallelism = Workers }, b =>
        {
            var local = Enumerable.Range(0, buckets).Select(_ => new List<SortEntry>()).ToArray();
            var block = blocks[b];
            for (int offset = 0; offset + Generators.SortRecords.RecordBytes <= block.Length; offset += Generators.SortRecords.RecordBytes)
            {
                var key = block.AsSpan(offset, Generators.SortRecords.KeyBytes);
                int bucket = Math.Clamp((key[0] - ' ') * buckets / 95, 0, buckets - 1);
                local[bucket].Add(new SortEntry(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt16BigEndian(key[8..]), b, offset));
            }
            lock (lists)
                for (int i = 0; i < buckets; i++) lists[i].AddRange(local[i]);
        });
        var sorted = new SortEntry[buckets][];
        Parallel.For(0, buckets, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i =>
        {
            var entries = lists[i].ToArray();
            Array.Sort(entries);
            sorted[i] = entries;
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var buffer = new byte[Generators.SortRecords.RecordBytes * 8192];
            int used = 0;
            foreach (var entry in sorted.SelectMany(s => s))
            {
                blocks[entry.Block].AsSpan(entry.Offset, Generators.SortRecords.RecordBytes).CopyTo(buffer.AsSpan(used));
                used += Generators.SortRecords.RecordBytes;
                if (used < buffer.Length) continue;
                stream.Write(buffer, 0, used);
                hash.AppendData(buffer, 0, used);
                used = 0;
            }
            stream.Write(buffer, 0, used);
            hash.AppendData(buffer, 0, used);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>One record's place in the sort: the key as two integers, then where the record is.</summary>
    private readonly record struct SortEntry(ulong Hi, ushort Lo, int Block, int Offset) : IComparable<SortEntry>
    {
        public int CompareTo(SortEntry other)
        {
            int c = Hi.CompareTo(other.Hi);
            return c != 0 ? c : Lo.CompareTo(other.Lo);
        }
    }

    /// <summary>TPC-H Q1 over <c>lineitem.csv</c>: sums and counts per return flag and line status.</summary>
    public static IReadOnlyList<string> Q1(string lineItem)
    {
        var groups = new Dictionary<string, Q1Sums>(StringComparer.Ordinal);
        Parallel.ForEach(LineChunks.Split([lineItem], Workers), new ParallelOptions { MaxDegreeOfParallelism = Workers },
            () => new Dictionary<string, Q1Sums>(StringComparer.Ordinal),
            (chunk, state, local) =>
            {
                LineChunks.ForEachLine(chunk, line =>
                {
                    if (line.StartsWith("l_orderkey"u8)) return;
                    if (LineChunks.Field(line, 10).SequenceCompareTo("1998-09-02"u8) > 0) return;
                    string key = Encoding.ASCII.GetString(LineChunks.Field(line, 8)) + "|" + Encoding.ASCII.GetString(LineChunks.Field(line, 9));
                    ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(local, key, out _);
                    double qty = ParseDouble(LineChunks.Field(line, 4)), price = ParseDouble(LineChunks.Field(line, 5));
                    double disc = ParseDouble(LineChunks.Field(line, 6)), tax = ParseDouble(LineChunks.Field(line, 7));
                    sums = sums.Add(qty, price, disc, tax);
                });
                return local;
            },
            local =>
            {
                lock (groups)
                    foreach (var (key, sums) in local) CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out _) = groups.GetValueOrDefault(key).Merge(sums);
            });
        return [.. groups.Select(g => g.Value.Format(g.Key)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Revenue per order priority: line items joined with their orders on the order key.</summary>
    public static IReadOnlyList<string> Join(string lineItem, string orders)
    {
        var priorities = new Dictionary<long, byte>();
        var names = new List<string>();
        LineChunks.ForEachLine(new LineChunks.Chunk(orders, 0, new FileInfo(orders).Length), line =>
        {
            if (line.StartsWith("o_orderkey"u8)) return;
            string priority = Encoding.ASCII.GetString(LineChunks.Field(line, 5));
            int index = names.IndexOf(priority);
            if (index < 0)
            {
                names.Add(priority);
                index = names.Count - 1;
            }
            priorities[long.Parse(LineChunks.Field(line, 0), CultureInfo.InvariantCulture)] = (byte)index;
        });
        var revenue = new double[names.Count];
        Parallel.ForEach(LineChunks.Split([lineItem], Workers), new ParallelOptions { MaxDegreeOfParallelism = Workers },
            () => new double[names.Count],
            (chunk, state, local) =>
            {
                LineChunks.ForEachLine(chunk, line =>
                {
                    if (line.StartsWith("l_orderkey"u8)) return;
                    long key = long.Parse(LineChunks.Field(line, 0), CultureInfo.InvariantCulture);
                    if (priorities.TryGetValue(key, out byte p))
                        local[p] += ParseDouble(LineChunks.Field(line, 5)) * (1 - ParseDouble(LineChunks.Field(line, 6)));
                });
                return local;
            },
            local => { lock (revenue) for (int i = 0; i < local.Length; i++) revenue[i] += local[i]; });
        return [.. names.Select((name, i) => JoinLine(name, revenue[i])).Order(StringComparer.Ordinal)];
    }

    /// <summary>The join's output line, as the platform's job writes it.</summary>
    public static string JoinLine(string priority, double revenue) => $"{priority}|{revenue.ToString("F2", CultureInfo.InvariantCulture)}";

    private static double ParseDouble(ReadOnlySpan<byte> text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>Q1's running sums for one group.</summary>
internal readonly record struct Q1Sums(double Qty, double Base, double DiscPrice, double Charge, double Disc, long Count)
{
    /// <summary>Adds one line item.</summary>
    public Q1Sums Add(double qty, double price, double disc, double tax) =>
        new(Qty + qty, Base + price, DiscPrice + price * (1 - disc), Charge + price * (1 - disc) * (1 + tax), Disc + disc, Count + 1);

    /// <summary>Adds another partial sum.</summary>
    public Q1Sums Merge(Q1Sums other) =>
        new(Qty + other.Qty, Base + other.Base, DiscPrice + other.DiscPrice, Charge + other.Charge, Disc + other.Disc, Count + other.Count);

    /// <summary>The result line, as the platform's job writes it: sums to two decimals, averages, count.</summary>
    public string Format(string group) => string.Create(CultureInfo.InvariantCulture,
        $"{group}|{Qty:F2}|{Base:F2}|{DiscPrice:F2}|{Charge:F2}|{Qty / Count:F4}|{Base / Count:F4}|{Disc / Count:F4}|{Count}");
}

/// <summary>What two word counts are compared on: distinct words, total words, and the 10 most frequent.</summary>
internal sealed record WordCounts(long Distinct, long Total, IReadOnlyList<string> Top)
{
    /// <summary>The summary of a full count.</summary>
    public static WordCounts From(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var list = counts.ToList();
        return new WordCounts(list.Count, list.Sum(c => c.Value),
            [.. list.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(10).Select(c => $"{c.Key}={c.Value}")]);
    }

    /// <summary>Equal when every field is.</summary>
    public bool Same(WordCounts other) => Distinct == other.Distinct && Total == other.Total && Top.SequenceEqual(other.Top);
}

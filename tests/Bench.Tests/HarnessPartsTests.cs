using System.Text;
using Spark.Serverless.Bench.Baselines;
using Spark.Serverless.Bench.Generators;
using Spark.Serverless.Bench.Harness;

namespace Spark.Serverless.Bench.Tests;

/// <summary>The harness's pure parts: sizes, record format, line chunking, result comparison, and the baselines against plain LINQ.</summary>
[TestClass]
public sealed class HarnessPartsTests
{
    private static string _folder = "";

    [ClassInitialize]
    public static void Generate(TestContext context)
    {
        _folder = Directory.CreateTempSubdirectory("bench-parts-").FullName;
    }

    [ClassCleanup]
    public static void Remove() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    [DataRow("1GB", 1_000_000_000L)]
    [DataRow("256mb", 256_000_000L)]
    [DataRow("1.5MB", 1_500_000L)]
    [DataRow("2000000", 2_000_000L)]
    public void ByteSize_ParsesDecimalUnits(string text, long expected)
    {
        Assert.IsNull(ByteSize.TryParse(text, out long bytes));
        Assert.AreEqual(expected, bytes);
    }

    [TestMethod]
    [DataRow("lots", "not a size")]
    [DataRow("-1GB", "not a size")]
    [DataRow("10KB", "below the least useful size")]
    public void ByteSize_NamesWhatIsWrong(string text, string expected) =>
        StringAssert.Contains(ByteSize.TryParse(text, out _), expected);

    [TestMethod]
    public void SortRecords_AreHundredByteLinesWithPrintableKeys_AndTheSameForTheSameSeed()
    {
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        SortRecords.Write(a, 0, 1000, 5);
        SortRecords.Write(b, 0, 1000, 5);
        CollectionAssert.AreEqual(a.ToArray(), b.ToArray());
        var lines = Encoding.ASCII.GetString(a.ToArray()).Split('\n')[..^1];
        Assert.AreEqual(1000, lines.Length);
        Assert.IsTrue(lines.All(l => l.Length == SortRecords.RecordBytes - 1));
        Assert.IsTrue(lines.All(l => l[..SortRecords.KeyBytes].All(c => c is >= ' ' and <= '~')));
        Assert.AreEqual(1000, lines.Select(l => l[..SortRecords.KeyBytes]).Distinct().Count(), "random 10-byte keys do not repeat in a thousand");
    }

    [TestMethod]
    public void LineChunks_CoverEveryLineOnce()
    {
        string path = Path.Combine(_folder, "lines.txt");
        var expected = Enumerable.Range(0, 5000).Select(i => new string((char)('a' + i % 26), i % 97) + i).ToList();
        File.WriteAllText(path, string.Join('\n', expected) + "\n");
        var seen = new List<string>();
        foreach (var chunk in LineChunks.Split([path], 7))
            LineChunks.ForEachLine(chunk, line => seen.Add(Encoding.ASCII.GetString(line)));
        CollectionAssert.AreEqual(expected, seen);
    }

    [TestMethod]
    public void SameRows_ToleratesTheLastBitsOfSums_ButNotRealDifferences()
    {
        Assert.IsTrue(ResultCheck.SameRows(["A|F|1234567.89|10"], ["A|F|1234567.8900001|10"]));
        Assert.IsFalse(ResultCheck.SameRows(["A|F|1234567.89|10"], ["A|F|1234567.99|10"]));
        Assert.IsFalse(ResultCheck.SameRows(["A|F|1|10"], ["A|O|1|10"]));
        Assert.IsFalse(ResultCheck.SameRows(["A|F|1|10"], ["A|F|1|10", "N|O|1|1"]));
    }

    [TestMethod]
    public void Baselines_AgreeWithLinqOverTheSameFiles()
    {
        string text = Path.Combine(_folder, "book.txt");
        using (var writer = new StreamWriter(text)) new TextCorpus(2000).Write(writer, 300_000, 3);
        var words = File.ReadLines(text).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).GroupBy(w => w, StringComparer.Ordinal);
        var expected = WordCounts.From(words.Select(g => KeyValuePair.Create(g.Key, (long)g.Count())));
        Assert.IsTrue(CSharpBaselines.WordCount([text]).Same(expected));

        string orders = Path.Combine(_folder, "orders.csv"), items = Path.Combine(_folder, "lineitem.csv");
        using (var o = new StreamWriter(orders))
        using (var l = new StreamWriter(items))
            TpchGenerator.Write(o, l, 1, 3000, 9, headers: true);
        var rows = File.ReadLines(items).Skip(1).Select(r => r.Split(',')).ToList();
        var q1 = rows.Where(r => string.CompareOrdinal(r[10], "1998-09-02") <= 0)
            .GroupBy(r => r[8] + "|" + r[9])
            .Select(g => g.Aggregate(new Q1Sums(), (s, r) => s.Add(D(r[4]), D(r[5]), D(r[6]), D(r[7]))).Format(g.Key));
        Assert.IsTrue(ResultCheck.SameRows(CSharpBaselines.Q1(items), q1));

        var priority = File.ReadLines(orders).Skip(1).Select(r => r.Split(',')).ToDictionary(r => long.Parse(r[0]), r => r[5]);
        var join = rows.GroupBy(r => priority[long.Parse(r[0])]).Select(g => CSharpBaselines.JoinLine(g.Key, g.Sum(r => D(r[5]) * (1 - D(r[6])))));
        Assert.IsTrue(ResultCheck.SameRows(CSharpBaselines.Join(items, orders), join));
    }

    [TestMethod]
    public void SortBaseline_MatchesGnuSort()
    {
        string records = Path.Combine(_folder, "records.txt");
        using (var stream = File.Create(records)) SortRecords.Write(stream, 0, 20_000, 11);
        string ours = CSharpBaselines.Sort([records], Path.Combine(_folder, "sorted-ours"));
        string gnu = OutsideTools.GnuSort([records], Path.Combine(_folder, "sorted-gnu"), _folder);
        Assert.AreEqual(gnu, ours);
    }

    private static double D(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

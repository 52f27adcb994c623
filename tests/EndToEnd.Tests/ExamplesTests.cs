using System.Globalization;
using System.Text.RegularExpressions;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Every example spec runs on its sample data and gives the answer LINQ gives.</summary>
[TestClass]
public sealed class ExamplesTests
{
    private static Platform Platform => SharedPlatform.Instance;
    private static readonly string[] LineItem = File.ReadAllLines(RepoPaths.InRepo("examples/data/lineitem.csv"))[1..];
    private static readonly string[] Orders = File.ReadAllLines(RepoPaths.InRepo("examples/data/orders.csv"))[1..];

    [ClassInitialize]
    public static async Task Upload(TestContext _) => await Platform.UploadAsync("input", new Dictionary<string, string>
    {
        ["tpch/lineitem.csv"] = await File.ReadAllTextAsync(RepoPaths.InRepo("examples/data/lineitem.csv")),
        ["tpch/orders.csv"] = await File.ReadAllTextAsync(RepoPaths.InRepo("examples/data/orders.csv")),
    });

    [TestMethod]
    public async Task WordCountThenSort_TopTenMatchesLinq()
    {
        string text = TestCorpus.Generate(seed: 51, lines: 3000, lineEnd: "\n", trailingNewline: true);
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["books/book-0.txt"] = text, ["books/book-1.txt"] = text });
        await Platform.RunAsync(await File.ReadAllTextAsync(RepoPaths.InRepo("examples/wordcount.json")));
        var (jobId, _) = await Platform.RunAsync(await File.ReadAllTextAsync(RepoPaths.InRepo("examples/sort.json")));
        var counts = JobRunner.Lines(text + text).SelectMany(l => Regex.Split(l.ToLowerInvariant(), @"[^\p{L}\p{N}']+").Where(w => w.Length > 0))
            .GroupBy(w => w).Select(g => (Word: g.Key, Count: g.Count())).ToList();
        var top = (await Platform.OutputAsync(jobId, "top10"))["value"]!.AsArray().Select(p => (Word: p![0]!.GetValue<string>(), Count: p[1]!.GetValue<int>())).ToList();
        Assert.AreEqual(10, top.Count);
        CollectionAssert.AreEqual(counts.Select(c => c.Count).OrderDescending().Take(10).ToList(), top.Select(t => t.Count).ToList());
        foreach (var (word, count) in top) Assert.IsTrue(counts.Contains((word, count)), $"{word} {count}");
        var all = await Platform.ReadDatasetAsync("output/words-by-frequency", expectedParts: 4);
        Assert.AreEqual(counts.Count, all.Count);
    }

    [TestMethod]
    public async Task Q1_OnTheSampleLineItems_MatchesLinq()
    {
        var (jobId, _) = await Platform.RunAsync(await File.ReadAllTextAsync(RepoPaths.InRepo("examples/q1.json")));
        var rows = LineItem.Select(l => Spark.Serverless.IO.CsvParser.ParseLine(l)).Where(r => string.CompareOrdinal(r[10], "1998-09-02") <= 0)
            .Select(r => (Flag: r[8], Status: r[9], Qty: D(r[4]), Price: D(r[5]), Disc: D(r[6]), Tax: D(r[7])));
        var expected = rows.GroupBy(r => (r.Flag, r.Status)).OrderBy(g => g.Key.Flag, StringComparer.Ordinal).ThenBy(g => g.Key.Status, StringComparer.Ordinal)
            .Select(g => string.Join('\t', g.Key.Flag, g.Key.Status, g.Sum(r => r.Qty), g.Sum(r => r.Price), g.Sum(r => r.Price * (1 - r.Disc)),
                g.Sum(r => r.Price * (1 - r.Disc) * (1 + r.Tax)), g.Sum(r => r.Qty) / g.Count(), g.Sum(r => r.Price) / g.Count(), g.Sum(r => r.Disc) / g.Count(), g.Count()))
            .ToList();
        CollectionAssert.AreEqual(expected, await Platform.ReadDatasetAsync("output/tpch-q1", expectedParts: 1));
        Assert.AreEqual(expected.Count, (await Platform.OutputAsync(jobId, "q1"))["value"]!.AsArray().Count);
    }

    [TestMethod]
    public async Task Join_RevenueByPriority_MatchesLinq()
    {
        await Platform.RunAsync(await File.ReadAllTextAsync(RepoPaths.InRepo("examples/join.json")));
        var priority = Orders.Select(l => Spark.Serverless.IO.CsvParser.ParseLine(l)).ToDictionary(r => long.Parse(r[0], CultureInfo.InvariantCulture), r => r[5]);
        var expected = LineItem.Select(l => Spark.Serverless.IO.CsvParser.ParseLine(l))
            .GroupBy(r => priority[long.Parse(r[0], CultureInfo.InvariantCulture)])
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}\t{g.Sum(r => D(r[5]) * (1 - D(r[6])))}")
            .ToList();
        CollectionAssert.AreEqual(expected, await Platform.ReadDatasetAsync("output/revenue-by-priority", expectedParts: 1));
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}

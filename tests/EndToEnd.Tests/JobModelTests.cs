using System.Globalization;
using System.Text;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Spark's transformations and actions on real executors, each answer checked against LINQ over the raw input.</summary>
[TestClass]
public sealed class JobModelTests
{
    private static Platform Platform => SharedPlatform.Instance;

    [TestMethod]
    public async Task Distinct_EachWordOnce()
    {
        var text = TestCorpus.Generate(seed: 11, lines: 1500, lineEnd: "\n", trailingNewline: true);
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["distinct/a.txt"] = text });
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "distinct", "steps": [
              { "id": "lines", "op": "textFile", "path": "input/distinct/a.txt", "minPartitions": 3 },
              { "id": "words", "op": "flatMap", "from": "lines", "fn": "l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
              { "id": "unique", "op": "distinct", "from": "words", "numPartitions": 3 },
              { "id": "all", "op": "collect", "from": "unique" } ] }
            """);
        var actual = (await Platform.OutputAsync(jobId, "all"))["value"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        var expected = JobRunner.Lines(text).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEquivalent(expected, actual);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task SortBy_RangePartitionedIntoFourParts_IsGloballyOrderedAndStableOnTies(bool ascending)
    {
        string[] keys = ["apple", "Apple", "banana", "cherry", "date", "éclair", "fig", "grape", "Zebra", "kiwi", "lemon", "mango"];
        var random = new Random(5);
        var files = new Dictionary<string, string>();
        int seq = 0;
        foreach (var file in new[] { "sort/a.csv", "sort/b.csv", "sort/c.csv" })
        {
            var text = new StringBuilder();
            for (int i = 0; i < 700; i++) text.Append(keys[random.Next(keys.Length)]).Append(',').Append(seq++).Append('\n');
            files[file] = text.ToString();
        }
        await Platform.UploadAsync("input", files);
        string output = ascending ? "output/sorted-asc" : "output/sorted-desc";
        var (jobId, status) = await Platform.RunAsync($$"""
            { "name": "sort", "steps": [
              { "id": "lines", "op": "textFile", "path": "input/sort/*.csv", "minPartitions": 6 },
              { "id": "records", "op": "map", "from": "lines", "fn": "l => (Key: l.Split(',')[0], Seq: int.Parse(l.Split(',')[1]))" },
              { "id": "sorted", "op": "sortBy", "from": "records", "key": "r => r.Key", "ascending": {{(ascending ? "true" : "false")}}, "numPartitions": 4 },
              { "id": "text", "op": "map", "from": "sorted", "fn": "r => r.Key + \",\" + r.Seq" },
              { "op": "saveAsTextFile", "from": "text", "path": "{{output}}", "overwrite": true } ] }
            """);
        var input = files.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => JobRunner.Lines(f.Value)).Select(l => (Key: l.Split(',')[0], Line: l)).ToList();
        var expected = (ascending ? input.OrderBy(x => x.Key, StringComparer.Ordinal) : input.OrderByDescending(x => x.Key, StringComparer.Ordinal)).Select(x => x.Line).ToList();
        var parts = await Platform.ReadPartsAsync(output);
        Assert.AreEqual(4, parts.Count, "four range partitions");
        Assert.IsTrue(parts.Count(p => p.Count > 0) >= 3, "the sample spreads the keys: " + string.Join(",", parts.Select(p => p.Count)));
        CollectionAssert.AreEqual(expected, parts.SelectMany(p => p).ToList(), "parts read in order are sorted, ties in input order");
        Assert.IsTrue(status["stages"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "sample"), "a sampling stage drew the bounds");
    }

    [TestMethod]
    public async Task Q1StyleAggregation_SumsAveragesAndCountsByTwoKeys()
    {
        var (csv, rows) = TpchData.LineItems(seed: 3, count: 4000);
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["q1/lineitem.csv"] = csv });
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "q1", "settings": { "shufflePartitions": 4 }, "steps": [
              { "id": "rows", "op": "csv", "path": "input/q1/lineitem.csv", "header": true, "minPartitions": 4 },
              { "id": "shipped", "op": "filter", "from": "rows", "fn": "r => string.CompareOrdinal(r[7], \"1998-09-02\") <= 0" },
              { "id": "keyed", "op": "map", "from": "shipped",
                "fn": "r => ((r[5], r[6]), (decimal.Parse(r[1], CultureInfo.InvariantCulture), decimal.Parse(r[2], CultureInfo.InvariantCulture), decimal.Parse(r[3], CultureInfo.InvariantCulture), decimal.Parse(r[4], CultureInfo.InvariantCulture)))" },
              { "id": "sums", "op": "aggregateByKey", "from": "keyed",
                "zero": "(0m, 0m, 0m, 0m, 0m, 0L)",
                "seqOp": "(a, r) => (a.Item1 + r.Item1, a.Item2 + r.Item2, a.Item3 + r.Item2 * (1 - r.Item3), a.Item4 + r.Item2 * (1 - r.Item3) * (1 + r.Item4), a.Item5 + r.Item3, a.Item6 + 1)",
                "combOp": "(a, b) => (a.Item1 + b.Item1, a.Item2 + b.Item2, a.Item3 + b.Item3, a.Item4 + b.Item4, a.Item5 + b.Item5, a.Item6 + b.Item6)" },
              { "id": "q1", "op": "map", "from": "sums",
                "fn": "kv => (kv.Key, (kv.Value.Item1, kv.Value.Item2, kv.Value.Item3, kv.Value.Item4), (kv.Value.Item1 / kv.Value.Item6, kv.Value.Item2 / kv.Value.Item6, kv.Value.Item5 / kv.Value.Item6), kv.Value.Item6)" },
              { "id": "ordered", "op": "sortBy", "from": "q1", "key": "r => r.Key", "numPartitions": 2 },
              { "id": "result", "op": "collect", "from": "ordered" } ] }
            """);
        var expected = rows.Where(r => string.CompareOrdinal(r.ShipDate, "1998-09-02") <= 0)
            .GroupBy(r => (r.ReturnFlag, r.LineStatus)).OrderBy(g => g.Key.ReturnFlag, StringComparer.Ordinal).ThenBy(g => g.Key.LineStatus, StringComparer.Ordinal)
            .Select(g => $"[[\"{g.Key.ReturnFlag}\",\"{g.Key.LineStatus}\"],[{g.Sum(r => r.Quantity)},{g.Sum(r => r.Price)},{g.Sum(r => r.Price * (1 - r.Discount))},{g.Sum(r => r.Price * (1 - r.Discount) * (1 + r.Tax))}]," +
                $"[{g.Sum(r => r.Quantity) / g.Count()},{g.Sum(r => r.Price) / g.Count()},{g.Sum(r => r.Discount) / g.Count()}],{g.Count()}]")
            .ToList();
        var actual = (await Platform.OutputAsync(jobId, "result"))["value"]!.AsArray().Select(r => r!.ToJsonString()).ToList();
        Assert.AreEqual(4, expected.Count, "the data has four (returnflag, linestatus) groups");
        CollectionAssert.AreEqual(expected.Select(Normalize).ToList(), actual.Select(Normalize).ToList());
    }

    [TestMethod]
    public async Task Joins_HeavilySkewedKey_InnerLeftOuterAndBroadcastMatchLinq()
    {
        var (orders, unique) = TpchData.OrdersAndCustomers(seed: 9, orderCount: 3000, skewedShare: 0.6);
        // Every seventh customer twice, under two names: a right key with more than one value, in every kind of join.
        var customers = unique.Concat(unique.Where(c => c.CustKey % 7 == 0).Select(c => c with { Name = c.Name + " II" })).ToList();
        await Platform.UploadAsync("input", new Dictionary<string, string>
        {
            ["join/orders.csv"] = TpchData.Csv(["orderkey", "custkey", "total"], orders.Select(o => new[] { $"{o.OrderKey}", $"{o.CustKey}", o.Total.ToString(CultureInfo.InvariantCulture) })),
            ["join/customers.csv"] = TpchData.Csv(["custkey", "name"], customers.Select(c => new[] { $"{c.CustKey}", c.Name })),
        });
        string Spec(string op, bool broadcast, string output) => $$"""
            { "name": "{{op}}", "settings": { "shufflePartitions": 4 }, "steps": [
              { "id": "orders", "op": "csv", "path": "input/join/orders.csv", "header": true, "minPartitions": 3 },
              { "id": "byCustomer", "op": "map", "from": "orders", "fn": "r => (int.Parse(r[1]), (int.Parse(r[0]), decimal.Parse(r[2], CultureInfo.InvariantCulture)))" },
              { "id": "customers", "op": "csv", "path": "input/join/customers.csv", "header": true },
              { "id": "names", "op": "map", "from": "customers", "fn": "r => (int.Parse(r[0]), r[1])" },
              { "id": "joined", "op": "{{op}}", "from": "byCustomer", "with": "names"{{(broadcast ? ", \"broadcast\": true" : "")}} },
              { "op": "saveAsTextFile", "from": "joined", "path": "{{output}}", "overwrite": true } ] }
            """;
        var names = customers.ToLookup(c => c.CustKey, c => c.Name);
        string Line(TpchData.Order o, string name) => $"{o.CustKey}\t{o.OrderKey}\t{o.Total.ToString(CultureInfo.InvariantCulture)}\t{name}";
        var inner = orders.SelectMany(o => names[o.CustKey].Select(name => Line(o, name))).ToList();
        var outer = orders.SelectMany(o => names.Contains(o.CustKey) ? names[o.CustKey].Select(name => Line(o, name)) : [Line(o, "")]).ToList();
        Assert.IsTrue(orders.Count(o => !names.Contains(o.CustKey)) > 10, "some orders have no customer");
        Assert.IsTrue(orders.Count(o => names[o.CustKey].Count() == 2) > 100, "some orders have two");

        await Platform.RunAsync(Spec("join", false, "output/join-inner"));
        JobRunner.AssertSameLines(inner, await Platform.ReadDatasetAsync("output/join-inner", expectedParts: 4));
        await Platform.RunAsync(Spec("leftOuterJoin", false, "output/join-outer"));
        JobRunner.AssertSameLines(outer, await Platform.ReadDatasetAsync("output/join-outer", expectedParts: 4));
        var (_, status) = await Platform.RunAsync(Spec("join", true, "output/join-broadcast"));
        JobRunner.AssertSameLines(inner, await Platform.ReadDatasetAsync("output/join-broadcast"));
        Assert.IsTrue(status["stages"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "broadcast"), "the small side was broadcast");
        Assert.IsFalse(status["stages"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "shuffleMap"), "a broadcast join shuffles nothing");
    }

    [TestMethod]
    public async Task Union_ConcatenatesBothDatasets()
    {
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["union/a.txt"] = "one\ntwo\nthree\n", ["union/b.txt"] = "three\nfour\n" });
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "union", "steps": [
              { "id": "a", "op": "textFile", "path": "input/union/a.txt" },
              { "id": "b", "op": "textFile", "path": "input/union/b.txt" },
              { "id": "both", "op": "union", "from": "a", "with": "b" },
              { "id": "n", "op": "count", "from": "both" },
              { "id": "all", "op": "collect", "from": "both" } ] }
            """);
        Assert.AreEqual(5, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
        CollectionAssert.AreEqual(new[] { "one", "two", "three", "three", "four" }, (await Platform.OutputAsync(jobId, "all"))["value"]!.AsArray().Select(v => v!.GetValue<string>()).ToList());
    }

    [TestMethod]
    public async Task Actions_TakeCollectCountAndCountByKeyInOneJob()
    {
        var (jobId, status) = await Platform.RunAsync("""
            { "name": "actions", "settings": { "defaultParallelism": 5 }, "steps": [
              { "id": "numbers", "op": "range", "start": 0, "end": 1000 },
              { "id": "pairs", "op": "map", "from": "numbers", "fn": "n => (n % 7, n)" },
              { "id": "n", "op": "count", "from": "numbers" },
              { "id": "first", "op": "take", "from": "numbers", "n": 5 },
              { "id": "small", "op": "filter", "from": "numbers", "fn": "n => n % 250 == 3" },
              { "id": "smallAll", "op": "collect", "from": "small" },
              { "id": "byKey", "op": "countByKey", "from": "pairs" } ] }
            """);
        Assert.AreEqual(1000, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
        Assert.AreEqual("[0,1,2,3,4]", (await Platform.OutputAsync(jobId, "first"))["value"]!.ToJsonString());
        Assert.AreEqual("[3,253,503,753]", (await Platform.OutputAsync(jobId, "smallAll"))["value"]!.ToJsonString());
        var byKey = (await Platform.OutputAsync(jobId, "byKey"))["value"]!.AsObject();
        var expected = Enumerable.Range(0, 1000).GroupBy(n => n % 7).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => (long)g.Count());
        CollectionAssert.AreEquivalent(expected.ToList(), byKey.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>()).ToList());
        Assert.AreEqual(5, status["stages"]![0]!["numTasks"]!.GetValue<int>(), "range uses defaultParallelism");
    }

    /// <summary>JSON numbers compared as decimals (System.Text.Json and decimal.ToString may print 1.50 and 1.5 alike or not).</summary>
    private static string Normalize(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, @"-?\d+(\.\d+)?", m => decimal.Parse(m.Value, CultureInfo.InvariantCulture).ToString("0.############################", CultureInfo.InvariantCulture));
}

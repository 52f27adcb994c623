using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// Executors with a tiny memory budget (64 KB, 32 KB a task): sorts, groupings and joins must spill to local files
/// and still give the right answer, and leave no file behind.
/// </summary>
[TestClass]
public sealed class MemoryBudgetTests
{
    private static Platform s_platform = null!;
    private static string s_spillRoot = null!;
    private static readonly string Text = TestCorpus.Generate(seed: 31, lines: 6000, lineEnd: "\n", trailingNewline: true);

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_spillRoot = Directory.CreateTempSubdirectory("e2e-spill-").FullName;
        s_platform = await Platform.StartAsync();
        var settings = new Dictionary<string, string> { ["Executor__MemoryBudgetBytes"] = "65536", ["Executor__SpillDirectory"] = s_spillRoot };
        s_platform.StartExecutor("tiny-1", slots: 2, settings);
        s_platform.StartExecutor("tiny-2", slots: 2, settings);
        await s_platform.UploadAsync("input", new Dictionary<string, string> { ["budget/text.txt"] = Text });
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await s_platform.DisposeAsync();
        Directory.Delete(s_spillRoot, recursive: true);
    }

    [TestMethod]
    public async Task TinyBudget_SortGroupAndJoinSpillAndStayCorrect()
    {
        var (jobId, status) = await s_platform.RunAsync("""
            { "name": "tiny", "settings": { "shufflePartitions": 3 }, "steps": [
              { "id": "lines", "op": "textFile", "path": "input/budget/text.txt", "minPartitions": 2 },
              { "id": "numbered", "op": "mapPartitions", "from": "lines", "fn": "ls => ls.Select((l, i) => (Line: l, Index: i))" },
              { "id": "words", "op": "flatMap", "from": "numbered", "fn": "x => x.Line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => (w, x.Index))" },
              { "id": "sorted", "op": "sortBy", "from": "words", "key": "p => p.Item1", "ascending": false, "numPartitions": 4 },
              { "id": "sortedWords", "op": "map", "from": "sorted", "fn": "p => p.Item1" },
              { "op": "saveAsTextFile", "from": "sortedWords", "path": "output/tiny-sorted", "overwrite": true },
              { "id": "groups", "op": "groupByKey", "from": "words" },
              { "id": "sizes", "op": "map", "from": "groups", "fn": "g => (g.Key, g.Values.Count)" },
              { "op": "saveAsTextFile", "from": "sizes", "path": "output/tiny-groups", "overwrite": true },
              { "id": "unique", "op": "distinct", "from": "sortedWords" },
              { "id": "lengths", "op": "map", "from": "unique", "fn": "w => (w, w.Length)" },
              { "id": "joined", "op": "join", "from": "words", "with": "lengths" },
              { "id": "n", "op": "count", "from": "joined" } ] }
            """, timeoutSeconds: 240);
        var words = JobRunner.Lines(Text).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        CollectionAssert.AreEqual(words.OrderByDescending(w => w, StringComparer.Ordinal).ToList(), await s_platform.ReadDatasetAsync("output/tiny-sorted", expectedParts: 4));
        JobRunner.AssertSameLines(words.GroupBy(w => w, StringComparer.Ordinal).Select(g => $"{g.Key}\t{g.Count()}"), await s_platform.ReadDatasetAsync("output/tiny-groups"));
        Assert.AreEqual(words.Count, (await s_platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());

        long spills = status["metrics"]!["spills"]!.GetValue<long>();
        Assert.IsTrue(spills > 10, $"the tiny budget made tasks spill ({spills} spills, {status["metrics"]!["spillBytes"]} bytes)");
        var left = Directory.GetFiles(s_spillRoot, "*", SearchOption.AllDirectories);
        Assert.AreEqual(0, left.Length, "spill files are gone: " + string.Join(", ", left));
    }
}

using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Persist (within a job and by name across jobs), accumulators, broadcast variables, and failures in user code.</summary>
[TestClass]
public sealed class PersistAndVariablesTests
{
    private static Platform Platform => SharedPlatform.Instance;

    private static readonly string Text = TestCorpus.Generate(seed: 21, lines: 2000, lineEnd: null, trailingNewline: true);

    [ClassInitialize]
    public static async Task Upload(TestContext _) =>
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["persist/a.txt"] = Text });

    [TestMethod]
    public async Task Persist_LaterActionsOfTheJobReadTheStoredPartitions()
    {
        var (jobId, status) = await Platform.RunAsync("""
            { "name": "persist", "steps": [
              { "id": "lines", "op": "textFile", "path": "input/persist/a.txt", "minPartitions": 3 },
              { "id": "words", "op": "flatMap", "from": "lines", "fn": "l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)", "persist": true },
              { "id": "n", "op": "count", "from": "words" },
              { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
              { "id": "byWord", "op": "countByKey", "from": "pairs" } ] }
            """);
        var words = JobRunner.Lines(Text).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.AreEqual(words.Count, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
        var byWord = (await Platform.OutputAsync(jobId, "byWord"))["value"]!.AsObject();
        Assert.AreEqual(words.Distinct().Count(), byWord.Count);
        var stages = status["stages"]!.AsArray();
        Assert.AreEqual(0, stages[0]!["metrics"]!["cachedPartitions"]!.GetValue<int>(), "the first action computes and stores the partitions");
        Assert.AreEqual(3, stages[1]!["metrics"]!["cachedPartitions"]!.GetValue<int>(), "the second action reads all three back: " + stages[1]!.ToJsonString() + Platform.DescribeProcesses());
        Assert.AreEqual(JobRunner.Lines(Text).Count, stages[0]!["metrics"]!["recordsIn"]!.GetValue<long>(), "the first action read every line");
        Assert.AreEqual(0, stages[1]!["metrics"]!["recordsIn"]!.GetValue<long>(), "the second read no input line again");
    }

    [TestMethod]
    public async Task PersistByName_ALaterJobReadsItWithoutRecomputing()
    {
        var (firstId, _) = await Platform.RunAsync("""
            { "name": "persist-by-name", "steps": [
              { "id": "lines", "op": "textFile", "path": "input/persist/a.txt", "minPartitions": 2 },
              { "id": "pairs", "op": "map", "from": "lines", "fn": "l => (l.Length, 1L)" },
              { "id": "lengths", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b", "numPartitions": 3, "persist": "line-lengths" },
              { "id": "n", "op": "count", "from": "lengths" } ] }
            """);
        var (secondId, status) = await Platform.RunAsync("""
            { "name": "read-persisted", "steps": [
              { "id": "lengths", "op": "persisted", "name": "line-lengths" },
              { "id": "all", "op": "collect", "from": "lengths" } ] }
            """);
        var expected = JobRunner.Lines(Text).GroupBy(l => l.Length).Select(g => $"[{g.Key},{g.Count()}]").ToList();
        var actual = (await Platform.OutputAsync(secondId, "all"))["value"]!.AsArray().Select(v => v!.ToJsonString()).ToList();
        CollectionAssert.AreEquivalent(expected, actual);
        Assert.AreEqual(expected.Count, (await Platform.OutputAsync(firstId, "n"))["value"]!.GetValue<long>());
        var stages = status["stages"]!.AsArray();
        Assert.AreEqual(1, stages.Count, "no shuffle and no source stage: the lineage is not recomputed");
        Assert.AreEqual(3, stages[0]!["metrics"]!["cachedPartitions"]!.GetValue<int>());

        using var missing = await Platform.SubmitAsync("""{ "steps": [ { "id": "x", "op": "persisted", "name": "never-persisted" }, { "op": "count", "from": "x" } ] }""");
        Assert.AreEqual(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
        StringAssert.Contains(await missing.Content.ReadAsStringAsync(), "No dataset is persisted under the name 'never-persisted'");
    }

    [TestMethod]
    public async Task AccumulatorsAndBroadcasts_AreUsableInLambdas()
    {
        var (jobId, status) = await Platform.RunAsync("""
            { "name": "variables", "steps": [
              { "id": "blank", "op": "longAccumulator" },
              { "id": "letters", "op": "doubleAccumulator" },
              { "id": "stop", "op": "parallelize", "items": ["the", "a", "of"] },
              { "id": "stopWords", "op": "broadcast", "from": "stop" },
              { "id": "lines", "op": "textFile", "path": "input/persist/a.txt", "minPartitions": 4 },
              { "id": "words", "op": "flatMap", "from": "lines", "fn": "l => { if (l.Length == 0) blank.Add(1); letters.Add(l.Length / 2.0); return l.Split(' ', StringSplitOptions.RemoveEmptyEntries); }" },
              { "id": "kept", "op": "filter", "from": "words", "fn": "w => !stopWords.Value.Contains(w)" },
              { "id": "n", "op": "count", "from": "kept" } ] }
            """);
        var lines = JobRunner.Lines(Text);
        Assert.AreEqual(lines.Count(l => l.Length == 0), status["accumulators"]!["blank"]!.GetValue<double>());
        Assert.AreEqual(lines.Sum(l => l.Length / 2.0), status["accumulators"]!["letters"]!.GetValue<double>(), 1e-6);
        long expected = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Count(w => w is not ("the" or "a" or "of"));
        Assert.AreEqual(expected, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
    }

    [TestMethod]
    public async Task UserException_FailsTheJobWithTypeMessageAndUserFramesFirst()
    {
        var (_, status) = await Platform.RunAsync("""
            { "name": "boom", "settings": { "maxTaskFailures": 2 }, "steps": [
              { "id": "numbers", "op": "range", "end": 50, "numSlices": 2 },
              { "id": "explode", "op": "map", "from": "numbers", "fn": "n => n == 42 ? throw new InvalidOperationException(\"no answers here\") : n" },
              { "id": "n", "op": "count", "from": "explode" } ] }
            """, expected: "failed");
        StringAssert.Contains(status["error"]!.GetValue<string>(), "Task 1 in stage 0.0 failed 2 times, most recent failure: System.InvalidOperationException: no answers here");
        var failures = status["stages"]![0]!["failures"]!.AsArray();
        Assert.AreEqual(2, failures.Count, "both attempts are listed");
        var error = failures[0]!["error"]!;
        Assert.AreEqual("System.InvalidOperationException", error["type"]!.GetValue<string>());
        Assert.AreEqual("user", error["kind"]!.GetValue<string>());
        string firstFrame = error["stackTrace"]!.GetValue<string>().Split('\n')[0];
        StringAssert.Contains(firstFrame, "Spark.Serverless.Generated.SpecJob");
        StringAssert.Contains(firstFrame, "in fn:explode:line 1", "the user's lambda, with its step and line, comes first");
    }
}

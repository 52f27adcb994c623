using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Awkward inputs: quoted CSV, JSON lines, empty files and inputs, globs that match nothing, partitions a filter empties.</summary>
[TestClass]
public sealed class InputEdgeCaseTests
{
    private static Platform Platform => SharedPlatform.Instance;

    [TestMethod]
    public async Task Csv_QuotedDelimitersQuotesAndNewlines_ParseIntoTheRightFields()
    {
        string csv = "id,text,amount\r\n" +
            "1,\"hello, world\",10\r\n" +
            "2,\"she said \"\"hi\"\"\",20\r\n" +
            "3,\"two\r\nlines\",30\r\n" +
            "\r\n" +
            "4,plain,40";
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["csv/quoted.csv"] = csv });
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "csv", "steps": [
              { "id": "rows", "op": "csv", "path": "input/csv/quoted.csv", "header": true, "multiLine": true },
              { "id": "all", "op": "collect", "from": "rows" } ] }
            """);
        var rows = (await Platform.OutputAsync(jobId, "all"))["value"]!.AsArray().Select(r => r!.AsArray().Select(f => f!.GetValue<string>()).ToArray()).ToList();
        Assert.AreEqual(4, rows.Count);
        CollectionAssert.AreEqual(new[] { "1", "hello, world", "10" }, rows[0]);
        CollectionAssert.AreEqual(new[] { "2", "she said \"hi\"", "20" }, rows[1]);
        CollectionAssert.AreEqual(new[] { "3", "two\r\nlines", "30" }, rows[2]);
        CollectionAssert.AreEqual(new[] { "4", "plain", "40" }, rows[3]);
    }

    [TestMethod]
    public async Task JsonLines_FieldsAreReadable()
    {
        string lines = "{\"user\":\"ana\",\"amount\":5}\n\n{\"user\":\"bo\",\"amount\":7.5}\r\n{\"user\":\"ana\",\"amount\":1,\"extra\":[1,2]}\n";
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["json/events.jsonl"] = lines });
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "json", "steps": [
              { "id": "events", "op": "jsonLines", "path": "input/json/events.jsonl" },
              { "id": "amounts", "op": "map", "from": "events", "fn": "e => (e.GetProperty(\"user\").GetString(), e.GetProperty(\"amount\").GetDouble())" },
              { "id": "totals", "op": "reduceByKey", "from": "amounts", "fn": "(a, b) => a + b", "numPartitions": 1 },
              { "id": "all", "op": "collect", "from": "totals" },
              { "id": "raw", "op": "collect", "from": "events" } ] }
            """);
        var totals = (await Platform.OutputAsync(jobId, "all"))["value"]!.AsArray().ToDictionary(t => t![0]!.GetValue<string>(), t => t![1]!.GetValue<double>());
        Assert.AreEqual(6.0, totals["ana"]);
        Assert.AreEqual(7.5, totals["bo"]);
        Assert.AreEqual("[1,2]", (await Platform.OutputAsync(jobId, "raw"))["value"]![2]!["extra"]!.ToJsonString(), "JSON values come back as they were");
    }

    [TestMethod]
    public async Task EmptyFilesAndZeroByteInput_GiveEmptyResultsNotErrors()
    {
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["empty/a.txt"] = "", ["empty/b.txt"] = "", ["some/a.txt"] = "x y\n", ["some/empty.txt"] = "" });
        var (jobId, status) = await Platform.RunAsync("""
            { "name": "empty", "steps": [
              { "id": "nothing", "op": "textFile", "path": "input/empty" },
              { "id": "n", "op": "count", "from": "nothing" },
              { "id": "words", "op": "flatMap", "from": "nothing", "fn": "l => l.Split(' ')" },
              { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
              { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b", "numPartitions": 2 },
              { "op": "saveAsTextFile", "from": "counts", "path": "output/empty-counts", "overwrite": true },
              { "id": "some", "op": "textFile", "path": "input/some/*.txt" },
              { "id": "m", "op": "count", "from": "some" } ] }
            """);
        Assert.AreEqual(0, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
        Assert.AreEqual(1, (await Platform.OutputAsync(jobId, "m"))["value"]!.GetValue<long>());
        Assert.AreEqual(0, (await Platform.ReadDatasetAsync("output/empty-counts", expectedParts: 2)).Count, "two empty parts and a manifest");
        Assert.AreEqual(0, status["stages"]![0]!["numTasks"]!.GetValue<int>(), "zero-byte input has no splits, so no tasks");
    }

    [TestMethod]
    public async Task GlobMatchingNothing_FailsTheJobAtOnceWithTheReason()
    {
        var (_, status) = await Platform.RunAsync("""
            { "name": "nothing", "steps": [
              { "id": "lines", "op": "textFile", "path": "input/no-such-folder/*.txt" },
              { "op": "count", "from": "lines" } ] }
            """, expected: "failed", timeoutSeconds: 10);
        Assert.AreEqual("Input path input/no-such-folder/*.txt of textFile 'lines': no blobs match the glob.", status["error"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task PartitionsEmptiedByAFilter_StillCommitAsEmptyParts()
    {
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "sparse", "steps": [
              { "id": "numbers", "op": "range", "end": 100, "numSlices": 5 },
              { "id": "few", "op": "filter", "from": "numbers", "fn": "n => n >= 90" },
              { "op": "saveAsTextFile", "from": "few", "path": "output/sparse", "overwrite": true },
              { "id": "n", "op": "count", "from": "few" } ] }
            """);
        var parts = await Platform.ReadPartsAsync("output/sparse");
        Assert.AreEqual(5, parts.Count);
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 0, 10 }, parts.Select(p => p.Count).ToArray());
        Assert.AreEqual(10, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
    }
}

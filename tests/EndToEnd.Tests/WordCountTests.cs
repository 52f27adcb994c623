using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// Word counts submitted over HTTP to a real driver and run by real executor processes (started by a real
/// manager) on a private Azurite; every answer is checked against counts computed here with LINQ over the raw input.
/// </summary>
[TestClass]
public sealed class WordCountTests
{
    private static Platform s_platform = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync();
        s_platform.StartManager(executors: 2);
        await s_platform.Storage.GetContainer("input").CreateIfNotExistsAsync();
    }

    [ClassCleanup]
    public static async Task Stop() => await s_platform.DisposeAsync();

    [TestMethod]
    public async Task ExampleSpec_UnicodeTextWithPunctuation_CountsMatchLinq()
    {
        var files = new Dictionary<string, string>
        {
            ["books/book-0.txt"] = TestCorpus.Generate(seed: 1, lines: 3000, lineEnd: "\n", trailingNewline: true),
            ["books/book-1.txt"] = TestCorpus.Generate(seed: 2, lines: 2500, lineEnd: null, trailingNewline: false),
            ["books/notes.md"] = "not matched by the glob *.txt\n",
        };
        await UploadAsync(files);
        var expected = files.Where(f => f.Key.EndsWith(".txt", StringComparison.Ordinal))
            .SelectMany(f => Lines(f.Value))
            .SelectMany(line => Regex.Split(line.ToLowerInvariant(), @"[^\p{L}\p{N}']+").Where(w => w.Length > 0))
            .GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

        string spec = await File.ReadAllTextAsync(RepoPaths.InRepo("examples/wordcount.json"));
        var (jobId, status) = await RunAsync(spec);

        Assert.AreEqual(2, status["stages"]!.AsArray().Count);
        Assert.IsTrue(status["stages"]!.AsArray().All(s => s!["status"]!.GetValue<string>() == "succeeded" && s["succeeded"]!.GetValue<int>() == s["numTasks"]!.GetValue<int>()));
        var actual = await ReadOutputAsync("output/wordcount", expectedParts: 4);
        AssertCountsEqual(expected, actual);

        await foreach (var blob in s_platform.Storage.Container.GetBlobsAsync(prefix: $"jobs/{jobId}/shuffle/"))
            Assert.Fail($"shuffle file {blob.Name} was left behind after the job committed");
    }

    [TestMethod]
    public async Task SmallSplits_CrlfNoTrailingNewlineAndEmptyFile_EveryLineReadOnce()
    {
        var files = new Dictionary<string, string>
        {
            ["splits/crlf.txt"] = TestCorpus.Generate(seed: 3, lines: 800, lineEnd: "\r\n", trailingNewline: true),
            ["splits/no-final-newline.txt"] = TestCorpus.Generate(seed: 4, lines: 700, lineEnd: "\n", trailingNewline: false),
            ["splits/empty.txt"] = "",
            ["splits/one-line.txt"] = "lonely line without newline",
            // 32-byte lines: every 1 KB split boundary falls exactly on a line start, the case that is easiest to get wrong.
            ["splits/aligned.txt"] = string.Concat(Enumerable.Range(0, 200).Select(i => $"aligned{i:D5} {new string('z', 18)}\n")),
        };
        await UploadAsync(files);
        var expected = files.Values.SelectMany(Lines)
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => !w.StartsWith("the", StringComparison.OrdinalIgnoreCase))
            .GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

        string spec = """
            {
              "name": "splits",
              "settings": { "maxSplitBytes": 1024, "shufflePartitions": 3 },
              "steps": [
                { "id": "lines",  "op": "textFile", "path": "input/splits" },
                { "id": "words",  "op": "flatMap", "from": "lines", "fn": "line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
                { "id": "kept",   "op": "filter", "from": "words", "fn": "w => !w.StartsWith(\"the\", StringComparison.OrdinalIgnoreCase)" },
                { "id": "pairs",  "op": "map", "from": "kept", "fn": "w => (w, 1L)" },
                { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
                { "op": "saveAsTextFile", "from": "counts", "path": "output/splits" }
              ]
            }
            """;
        var (_, status) = await RunAsync(spec);
        long inputBytes = files.Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));
        Assert.IsTrue(status["stages"]![0]!["numTasks"]!.GetValue<int>() >= inputBytes / 1100, "1 KB splits cut the input into many tasks, so lines cross split boundaries");
        AssertCountsEqual(expected, await ReadOutputAsync("output/splits", expectedParts: 3));

        using var again = await s_platform.SubmitAsync(spec);
        Assert.AreEqual(HttpStatusCode.BadRequest, again.StatusCode, "a second job may not overwrite the dataset unless it says so");
        StringAssert.Contains(await again.Content.ReadAsStringAsync(), "Output path output/splits already holds a dataset");
    }

    private static async Task UploadAsync(Dictionary<string, string> files)
    {
        var container = s_platform.Storage.GetContainer("input");
        foreach (var (name, text) in files)
            await container.GetBlobClient(name).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true);
    }

    private static async Task<(string JobId, JsonNode Status)> RunAsync(string spec)
    {
        using var response = await s_platform.SubmitAsync(spec);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, body);
        string jobId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var status = await s_platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.AreEqual("completed", status["runtimeStatus"]!.GetValue<string>(), $"{status.ToJsonString()}\n{s_platform.DescribeProcesses()}");
        return (jobId, status);
    }

    /// <summary>Reads a saved dataset the way a user would: the manifest, then each part it lists.</summary>
    private static async Task<Dictionary<string, long>> ReadOutputAsync(string path, int expectedParts)
    {
        string container = path[..path.IndexOf('/', StringComparison.Ordinal)];
        string folder = path[(container.Length + 1)..];
        var blobs = s_platform.Storage.GetContainer(container);
        var manifest = JsonNode.Parse((await blobs.GetBlobClient($"{folder}/_SUCCESS").DownloadContentAsync()).Value.Content.ToString())!;
        var parts = manifest["parts"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, expectedParts).Select(i => $"part-{i:D5}").ToList(), parts);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long records = 0;
        foreach (var part in parts)
        {
            string text = (await blobs.GetBlobClient($"{folder}/{part}").DownloadContentAsync()).Value.Content.ToString();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int tab = line.LastIndexOf('\t');
                Assert.IsTrue(counts.TryAdd(line[..tab], long.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture)), $"'{line[..tab]}' appears in two records");
                records++;
            }
        }
        Assert.AreEqual(records, manifest["records"]!.GetValue<long>(), "the manifest counts the records in its parts");
        return counts;
    }

    private static void AssertCountsEqual(Dictionary<string, long> expected, Dictionary<string, long> actual)
    {
        var missing = expected.Keys.Except(actual.Keys).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Take(5).ToList();
        var wrong = expected.Where(e => actual.TryGetValue(e.Key, out var a) && a != e.Value).Take(5).Select(e => $"{e.Key}: {actual[e.Key]} != {e.Value}").ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0 && wrong.Count == 0,
            $"missing: [{string.Join(", ", missing)}] extra: [{string.Join(", ", extra)}] wrong: [{string.Join(", ", wrong)}]");
        Assert.AreEqual(expected.Count, actual.Count);
    }

    /// <summary>Lines as the test sees them: split on \n, one trailing \r dropped, no phantom line after a final newline.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (text.EndsWith('\n') || text.Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}

using System.Net;
using System.Text;
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
    private static Platform Platform => SharedPlatform.Instance;

    [TestMethod]
    public async Task ExampleSpec_UnicodeTextWithPunctuation_CountsMatchLinq()
    {
        var files = new Dictionary<string, string>
        {
            ["books/book-0.txt"] = TestCorpus.Generate(seed: 1, lines: 3000, lineEnd: "\n", trailingNewline: true),
            ["books/book-1.txt"] = TestCorpus.Generate(seed: 2, lines: 2500, lineEnd: null, trailingNewline: false),
            ["books/notes.md"] = "not matched by the glob *.txt\n",
        };
        await Platform.UploadAsync("input", files);
        var expected = files.Where(f => f.Key.EndsWith(".txt", StringComparison.Ordinal))
            .SelectMany(f => JobRunner.Lines(f.Value))
            .SelectMany(line => Regex.Split(line.ToLowerInvariant(), @"[^\p{L}\p{N}']+").Where(w => w.Length > 0))
            .GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

        string spec = await File.ReadAllTextAsync(RepoPaths.InRepo("examples/wordcount.json"));
        var (jobId, status) = await Platform.RunAsync(spec);

        Assert.AreEqual(2, status["stages"]!.AsArray().Count);
        Assert.IsTrue(status["stages"]!.AsArray().All(s => s!["status"]!.GetValue<string>() == "succeeded" && s["succeeded"]!.GetValue<int>() == s["numTasks"]!.GetValue<int>()));
        AssertCountsEqual(expected, await Platform.ReadDatasetAsync("output/wordcount", expectedParts: 4));

        // The driver deletes the job's temporary files once it has recorded the job complete: within moments, well
        // before the delayed second cleanup (30 s here).
        await FaultWorld.WaitForCleanupAsync(Platform, jobId, TimeSpan.FromSeconds(5));
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
        await Platform.UploadAsync("input", files);
        var expected = files.Values.SelectMany(JobRunner.Lines)
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
        var (_, status) = await Platform.RunAsync(spec);
        long inputBytes = files.Values.Sum(v => (long)Encoding.UTF8.GetByteCount(v));
        Assert.IsTrue(status["stages"]![0]!["numTasks"]!.GetValue<int>() >= inputBytes / 1100, "1 KB splits cut the input into many tasks, so lines cross split boundaries");
        AssertCountsEqual(expected, await Platform.ReadDatasetAsync("output/splits", expectedParts: 3));

        using var again = await Platform.SubmitAsync(spec);
        Assert.AreEqual(HttpStatusCode.BadRequest, again.StatusCode, "a second job may not overwrite the dataset unless it says so");
        StringAssert.Contains(await again.Content.ReadAsStringAsync(), "Output path output/splits already holds a dataset");
    }

    private static void AssertCountsEqual(Dictionary<string, long> expected, IEnumerable<string> lines)
    {
        var actual = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            int tab = line.LastIndexOf('\t');
            Assert.IsTrue(actual.TryAdd(line[..tab], long.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture)), $"'{line[..tab]}' appears in two records");
        }
        JobRunner.AssertSameLines(expected.Select(e => $"{e.Key}\t{e.Value}"), actual.Select(a => $"{a.Key}\t{a.Value}"));
    }
}

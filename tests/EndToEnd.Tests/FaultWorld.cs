using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// A platform for fault tests (short leases and timeouts, so recovery takes seconds), and the job they run: a word
/// count whose map tasks take a second or two and count their lines in an accumulator, checked against LINQ.
/// </summary>
internal static class FaultWorld
{
    public static readonly Dictionary<string, string> DriverSettings = new()
    {
        ["Driver__ControlVisibilityTimeoutSeconds"] = "5",
        ["Driver__CleanupDelaySeconds"] = "2",
        ["Driver__MaxPollIntervalMs"] = "100",
    };

    public static readonly Dictionary<string, string> ExecutorSettings = new()
    {
        ["Executor__VisibilityTimeoutSeconds"] = "4",
        ["Executor__MaxPollIntervalMs"] = "100",
        ["Executor__JobCheckIntervalSeconds"] = "1",
    };

    public static readonly string Text = TestCorpus.Generate(seed: 61, lines: 3000, lineEnd: "\n", trailingNewline: true);

    public static Dictionary<string, string> With(this Dictionary<string, string> settings, string key, string value) =>
        new(settings) { [key] = value };

    /// <summary>A platform with a driver (given settings) and no executors yet; the input is uploaded.</summary>
    public static async Task<Platform> StartAsync(Dictionary<string, string>? driverSettings = null)
    {
        var platform = await Platform.StartAsync(driverSettings ?? DriverSettings);
        int cut = Text.IndexOf('\n', Text.Length / 2) + 1;
        await platform.UploadAsync("input", new Dictionary<string, string> { ["faults/a.txt"] = Text[..cut], ["faults/b.txt"] = Text[cut..] });
        return platform;
    }

    /// <summary>The word count spec; <paramref name="sleepMs"/> per 50th line makes each of the six map tasks take a while.</summary>
    public static string Spec(string output, int sleepMs = 60, string extraSettings = "") => $$"""
        { "name": "faults", "settings": { "shufflePartitions": 4, "maxTaskFailures": 6{{extraSettings}} }, "steps": [
          { "id": "lineCount", "op": "longAccumulator" },
          { "id": "lines", "op": "textFile", "path": "input/faults/*.txt", "minPartitions": 6 },
          { "id": "slow", "op": "map", "from": "lines", "fn": "l => { lineCount.Add(1); if (l.Length % 50 == 0) System.Threading.Thread.Sleep({{sleepMs}}); return l; }" },
          { "id": "words", "op": "flatMap", "from": "slow", "fn": "l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
          { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
          { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
          { "op": "saveAsTextFile", "from": "counts", "path": "{{output}}", "overwrite": true } ] }
        """;

    /// <summary>Submits through <paramref name="driver"/> (the platform's first driver by default); returns the job id.</summary>
    public static async Task<string> SubmitAsync(Platform platform, string spec, HttpClient? driver = null)
    {
        using var response = await (driver ?? platform.Http).PostAsync("api/jobs", new StringContent(spec, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>The output is the fault-free answer, and every line was counted exactly once.</summary>
    public static async Task AssertCorrectAsync(Platform platform, JsonNode status, string output)
    {
        Assert.AreEqual("completed", status["runtimeStatus"]!.GetValue<string>(), $"{status.ToJsonString()}\n{platform.DescribeProcesses()}");
        var words = JobRunner.Lines(Text).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        JobRunner.AssertSameLines(words.GroupBy(w => w, StringComparer.Ordinal).Select(g => $"{g.Key}\t{g.Count()}"), await platform.ReadDatasetAsync(output, expectedParts: 4));
        Assert.AreEqual(JobRunner.Lines(Text).Count, status["accumulators"]!["lineCount"]!.GetValue<double>(), "each line counted once");
    }

    /// <summary>Polls until the job has at least <paramref name="succeeded"/> committed tasks in stage 0.</summary>
    public static async Task WaitForProgressAsync(HttpClient driver, string jobId, int succeeded)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await driver.GetFromJsonAsync<JsonNode>($"api/jobs/{jobId}"))!["stages"]![0]!["succeeded"]!.GetValue<int>() < succeeded)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Job {jobId} made no progress.");
            await Task.Delay(50);
        }
    }

    /// <summary>The names of the blobs under a prefix.</summary>
    public static async Task<List<string>> BlobsAsync(Platform platform, string container, string prefix)
    {
        var names = new List<string>();
        var client = platform.Storage.GetContainer(container);
        if (!await client.ExistsAsync()) return names;
        await foreach (var blob in client.GetBlobsAsync(prefix: prefix)) names.Add(blob.Name);
        return names;
    }

    private static readonly string[] TemporaryFolders = ["shuffle/", "out/", "samples/", "persist/"];

    /// <summary>
    /// Waits until the job's shuffle files, attempt outputs, samples and persisted parts are gone; fails if any is
    /// left after <paramref name="within"/>.
    /// </summary>
    public static async Task WaitForCleanupAsync(Platform platform, string jobId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            // One listing of the job's folder a poll, not one per kind of temporary file.
            var left = (await BlobsAsync(platform, "spark", $"jobs/{jobId}/"))
                .Where(name => TemporaryFolders.Any(folder => name.StartsWith($"jobs/{jobId}/{folder}", StringComparison.Ordinal))).ToList();
            if (left.Count == 0) return;
            if (DateTime.UtcNow > deadline) Assert.Fail("temporary files left: " + string.Join(", ", left));
            await Task.Delay(200);
        }
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Testing;

/// <summary>The outcome of a fault soak.</summary>
/// <param name="Jobs">Jobs submitted.</param>
/// <param name="Completed">Jobs that completed.</param>
/// <param name="RecordsLost">Input words missing from the outputs.</param>
/// <param name="RecordsDuplicated">Input words counted more than once.</param>
/// <param name="ExecutorKills">Executors killed with SIGKILL.</param>
/// <param name="DriverKills">Drivers killed with SIGKILL.</param>
/// <param name="Elapsed">How long the soak ran.</param>
public sealed record SoakResult(int Jobs, int Completed, long RecordsLost, long RecordsDuplicated, int ExecutorKills, int DriverKills, TimeSpan Elapsed)
{
    /// <summary>Whether every job completed with nothing lost or duplicated.</summary>
    public bool Passed => Completed == Jobs && RecordsLost == 0 && RecordsDuplicated == 0;
}

/// <summary>
/// Runs word-count jobs on a platform of real processes (two drivers, several executors) while killing random
/// executors and drivers with SIGKILL and starting replacements, then checks every output against counts computed
/// here: a job that completed must have lost and duplicated nothing.
/// </summary>
public static class FaultSoak
{
    private static readonly Dictionary<string, string> DriverSettings = new()
    {
        ["Driver__ControlVisibilityTimeoutSeconds"] = "5",
        ["Driver__MaxPollIntervalMs"] = "100",
        ["Driver__CleanupDelaySeconds"] = "5",
    };

    private static readonly Dictionary<string, string> ExecutorSettings = new()
    {
        ["Executor__VisibilityTimeoutSeconds"] = "4",
        ["Executor__MaxPollIntervalMs"] = "100",
        ["Executor__JobCheckIntervalSeconds"] = "2",
    };

    /// <summary>Runs the soak.</summary>
    /// <param name="jobs">Jobs to run.</param>
    /// <param name="executors">Executor processes to keep (each killed one is replaced).</param>
    /// <param name="killEvery">How often something is killed.</param>
    /// <param name="seed">Chooses the inputs and the victims.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="timeout">How long the jobs may take.</param>
    public static async Task<SoakResult> RunAsync(int jobs, int executors, TimeSpan killEvery, int seed, Action<string> log, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(seed);
        await using var platform = await Platform.StartAsync(DriverSettings);
        var drivers = new List<(ChildProcess Process, HttpClient Http)> { (platform.Processes[0], platform.Http) };
        drivers.Add(await platform.StartDriverAsync("driver-2", DriverSettings));
        var pool = Enumerable.Range(1, executors).Select(i => platform.StartExecutor($"executor-{i}", slots: 2, ExecutorSettings)).ToList();
        int started = executors, executorKills = 0, driverKills = 0, driversStarted = 2;

        var expected = new List<Dictionary<string, long>>();
        var ids = new List<string>();
        for (int j = 0; j < jobs; j++)
        {
            string text = Corpus(seed * 1000 + j, 6000);
            expected.Add(text.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries).GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal));
            var container = platform.Storage.GetContainer("input");
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient($"soak/{j}/input.txt").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true);
            using var response = await drivers[j % drivers.Count].Http.PostAsync("api/jobs", new StringContent(Spec(j), Encoding.UTF8, "application/json"));
            string body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Submitting soak job {j} failed: {body}");
            ids.Add(JsonNode.Parse(body)!["id"]!.GetValue<string>());
        }
        log($"submitted {jobs} jobs; killing an executor or a driver every {killEvery.TotalSeconds:0.#} s");

        var statuses = new string?[jobs];
        var deadline = DateTime.UtcNow + timeout;
        // The first kill comes early: the jobs are short, and a soak that kills nothing proves nothing.
        var nextKill = DateTime.UtcNow + killEvery / 2;
        while (statuses.Any(s => s is not ("completed" or "failed" or "canceled")) && DateTime.UtcNow < deadline)
        {
            if (DateTime.UtcNow >= nextKill)
            {
                nextKill = DateTime.UtcNow + killEvery;
                if (random.Next(3) == 0)
                {
                    int victim = random.Next(drivers.Count);
                    drivers[victim].Process.Kill();
                    driverKills++;
                    drivers[victim] = await platform.StartDriverAsync($"driver-{++driversStarted}", DriverSettings);
                    log($"killed a driver (SIGKILL), started driver-{driversStarted}");
                }
                else
                {
                    int victim = random.Next(pool.Count);
                    pool[victim].Kill();
                    executorKills++;
                    pool[victim] = platform.StartExecutor($"executor-{++started}", slots: 2, ExecutorSettings);
                    log($"killed an executor (SIGKILL), started executor-{started}");
                }
            }
            for (int j = 0; j < jobs; j++)
            {
                if (statuses[j] is "completed" or "failed" or "canceled") continue;
                try
                {
                    var status = await drivers[random.Next(drivers.Count)].Http.GetFromJsonAsync<JsonNode>($"api/jobs/{ids[j]}");
                    statuses[j] = status!["runtimeStatus"]!.GetValue<string>();
                }
                catch (HttpRequestException)
                {
                    // The driver asked was just killed; ask another next round.
                }
            }
            await Task.Delay(200);
        }

        long lost = 0, duplicated = 0;
        int completed = 0;
        for (int j = 0; j < jobs; j++)
        {
            if (statuses[j] != "completed")
            {
                log($"job {j} ({ids[j]}) ended {statuses[j] ?? "unfinished"}");
                continue;
            }
            completed++;
            var actual = await ReadCountsAsync(platform, $"soak-{j}");
            foreach (var word in expected[j].Keys.Union(actual.Keys))
            {
                long diff = actual.GetValueOrDefault(word) - expected[j].GetValueOrDefault(word);
                if (diff < 0) lost -= diff;
                else duplicated += diff;
            }
        }
        return new SoakResult(jobs, completed, lost, duplicated, executorKills, driverKills, clock.Elapsed);
    }

    private static string Spec(int job) => $$"""
        { "name": "soak-{{job}}", "settings": { "shufflePartitions": 3, "maxTaskFailures": 8, "retryBackoffMs": 100 }, "steps": [
          { "id": "lines", "op": "textFile", "path": "input/soak/{{job}}/input.txt", "minPartitions": 4 },
          { "id": "slow", "op": "map", "from": "lines", "fn": "l => { if (l.Length % 4 == 0) System.Threading.Thread.Sleep(4); return l; }" },
          { "id": "words", "op": "flatMap", "from": "slow", "fn": "l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
          { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
          { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
          { "op": "saveAsTextFile", "from": "counts", "path": "output/soak-{{job}}", "overwrite": true } ] }
        """;

    private static async Task<Dictionary<string, long>> ReadCountsAsync(Platform platform, string folder)
    {
        var container = platform.Storage.GetContainer("output");
        var manifest = JsonNode.Parse((await container.GetBlobClient($"{folder}/_SUCCESS").DownloadContentAsync()).Value.Content.ToString())!;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in manifest["parts"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()))
            foreach (var line in (await container.GetBlobClient($"{folder}/{part}").DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int tab = line.LastIndexOf('\t');
                string word = line[..tab];
                counts[word] = counts.GetValueOrDefault(word) + long.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        return counts;
    }

    /// <summary>Plain words from a small vocabulary, deterministic per seed.</summary>
    private static string Corpus(int seed, int lines)
    {
        string[] words = ["spark", "serverless", "driver", "executor", "shuffle", "stage", "task", "blob", "queue", "lease", "commit", "marker", "azurite", "partition"];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            for (int w = 0, n = 1 + random.Next(12); w < n; w++) text.Append(w == 0 ? "" : " ").Append(words[random.Next(words.Length)]).Append(random.Next(50));
            text.Append('\n');
        }
        return text.ToString();
    }
}

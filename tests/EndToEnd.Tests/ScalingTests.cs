using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// Dynamic allocation with real processes on Azurite: managers start executors from zero when tasks wait, stop them
/// when idle, record every decision, share one job through storage only, and replace executors that die.
/// </summary>
[TestClass]
public sealed class ScalingTests
{
    private const double IdleTimeoutSeconds = 3;

    /// <summary>Quick knobs, so that a scale-out and a scale-in each take seconds.</summary>
    private static readonly Dictionary<string, string> ManagerSettings = new()
    {
        ["Manager__SchedulerBacklogTimeoutSeconds"] = "0.5",
        ["Manager__SustainedSchedulerBacklogTimeoutSeconds"] = "1",
        ["Manager__ExecutorIdleTimeoutSeconds"] = IdleTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Manager__PollIntervalMs"] = "250",
        ["Manager__SlotsPerExecutor"] = "2",
        ["Manager__StopTimeoutSeconds"] = "30",
        ["Executor__HeartbeatIntervalSeconds"] = "1",
        ["Executor__MaxPollIntervalMs"] = "100",
        ["Executor__JobCheckIntervalSeconds"] = "1",
        ["Spark__ExecutorHeartbeatTimeoutSeconds"] = "5",
    };

    private static readonly Dictionary<string, string> DriverSettings = FaultWorld.DriverSettings
        .With("Spark__ExecutorHeartbeatTimeoutSeconds", "5")
        .With("Driver__LostTaskCheckSeconds", "1");

    [TestMethod]
    public async Task FromZero_ScalesOutForABacklog_BackToZeroWhenIdle_AndUpAgainForTheNextJob()
    {
        await using var platform = await Platform.StartAsync(DriverSettings);
        platform.StartManager("m1", minExecutors: 0, maxExecutors: 3, ManagerSettings);
        using var watch = new PoolWatch(platform);
        await Task.Delay(1500);
        Assert.AreEqual(0, watch.MaxAlive, "no work, no executors");

        var status = await RunAsync(platform, Spec("output/scale-1", tasks: 32, sleepMs: 400));
        AssertSums(status, await platform.ReadDatasetAsync("output/scale-1"), tasks: 32);
        Assert.IsTrue(watch.MaxAlive > 1, $"the pool grew past one executor (saw at most {watch.MaxAlive})");
        Assert.IsTrue(watch.MaxAlive <= 3, $"never more than the maximum (saw {watch.MaxAlive})");

        // Back to zero: every executor idle past the timeout drains and exits.
        var idleFrom = Stopwatch.StartNew();
        await WaitUntilAsync(() => watch.Alive == 0 && watch.Seen > 0, TimeSpan.FromSeconds(IdleTimeoutSeconds + 20), platform, "the pool to return to zero");
        double toZero = idleFrom.Elapsed.TotalSeconds;
        Assert.IsTrue(toZero <= IdleTimeoutSeconds + 10, $"back to zero {toZero:0.0} s after the job, limit {IdleTimeoutSeconds} s idle timeout + 10 s");
        var firstPool = watch.Ids.ToHashSet();
        Console.WriteLine($"pool peaked at {watch.MaxAlive} executors; back to zero {toZero:0.0} s after the job (idle timeout {IdleTimeoutSeconds} s)");

        var second = await RunAsync(platform, Spec("output/scale-2", tasks: 8, sleepMs: 100));
        AssertSums(second, await platform.ReadDatasetAsync("output/scale-2"), tasks: 8);
        Assert.IsTrue(watch.Ids.Except(firstPool).Any(), "the second job started new executors");

        var history = await platform.Http.GetFromJsonAsync<JsonArray>("api/scale/history?minutes=10");
        Assert.IsNotNull(history);
        var records = history.Select(r => r!).Where(r => r["managerId"]!.GetValue<string>() == "m1").ToList();
        Assert.IsTrue(records.Count(r => r["started"]!.GetValue<int>() > 0) >= 3, "at least a first step, a doubling and a restart");
        Assert.IsTrue(records.Any(r => r["stopped"]!.AsArray().Count > 0), "idle executors were stopped");
        Assert.IsTrue(records.All(r => r["executors"]!.GetValue<int>() <= 3), "the recorded pool never exceeded the maximum");
        var firstStart = records.First(r => r["started"]!.GetValue<int>() > 0);
        Assert.IsTrue(firstStart["queueDepth"]!.GetValue<int>() > 0 && firstStart["pendingTasks"]!.GetValue<int>() > 0, firstStart.ToJsonString());
        StringAssert.Contains(firstStart["reason"]!.GetValue<string>(), "backlog");
    }

    [TestMethod]
    public async Task TwoIndependentManagers_ShareOneJobThroughStorage_ItCompletesExactlyOnce()
    {
        await using var platform = await Platform.StartAsync(DriverSettings);
        var slow = ManagerSettings.With("Manager__ExecutorIdleTimeoutSeconds", "120");
        platform.StartManager("ma", minExecutors: 0, maxExecutors: 2, slow);
        platform.StartManager("mb", minExecutors: 0, maxExecutors: 2, slow);

        var status = await RunAsync(platform, Spec("output/scale-two", tasks: 32, sleepMs: 300));
        AssertSums(status, await platform.ReadDatasetAsync("output/scale-two"), tasks: 32);
        var executors = await platform.Http.GetFromJsonAsync<JsonArray>("api/executors");
        var finished = executors!.Select(e => e!).GroupBy(e => e["managerId"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Sum(e => e["tasksFinished"]!.GetValue<long>()));
        Assert.IsTrue(finished.GetValueOrDefault("ma") > 0 && finished.GetValueOrDefault("mb") > 0,
            "both managers' executors ran tasks: " + string.Join(", ", finished.Select(f => $"{f.Key}={f.Value}")));
    }

    [TestMethod]
    public async Task ExecutorKilled_ItsManagerReplacesIt_AndTheDriverRerunsItsTasksLongBeforeTheirLeasesRunOut()
    {
        // A two-minute lease: recovery inside the test's time can only come from the heartbeats.
        await using var platform = await Platform.StartAsync(DriverSettings);
        platform.StartManager("mk", minExecutors: 2, maxExecutors: 2, ManagerSettings.With("Executor__VisibilityTimeoutSeconds", "120"));
        var (jobId, started) = await SubmitAsync(platform, Spec("output/scale-kill", tasks: 8, sleepMs: 3000));

        JsonNode victim;
        while (true)
        {
            var busy = (await platform.Http.GetFromJsonAsync<JsonArray>("api/executors"))!.Select(e => e!)
                .FirstOrDefault(e => e["status"]!.GetValue<string>() == "alive" && e["running"]!.AsArray().Count > 0);
            if (busy is not null)
            {
                victim = busy;
                break;
            }
            Assert.IsTrue(started.Elapsed < TimeSpan.FromSeconds(60), "no executor ever ran a task\n" + platform.DescribeProcesses());
            await Task.Delay(100);
        }
        string victimId = victim["executorId"]!.GetValue<string>();
        Process.GetProcessById(victim["processId"]!.GetValue<int>()).Kill();
        var killedAt = Stopwatch.StartNew();

        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90));
        AssertSums(status, await platform.ReadDatasetAsync("output/scale-kill"), tasks: 8);
        Assert.IsTrue(killedAt.Elapsed < TimeSpan.FromSeconds(60), $"recovered in {killedAt.Elapsed.TotalSeconds:0} s, well inside the 120 s lease");
        Console.WriteLine($"job completed {killedAt.Elapsed.TotalSeconds:0.0} s after its executor was killed (lease 120 s)");
        var lost = status["stages"]!.AsArray().SelectMany(s => s!["failures"]!.AsArray()).Where(f => f!["error"]!["kind"]!.GetValue<string>() == "lost").ToList();
        Assert.IsTrue(lost.Count > 0 && lost.All(f => f!["executorId"]!.GetValue<string>() == victimId), status.ToJsonString());
        var manager = platform.Processes.Single(p => p.Name == "mk");
        StringAssert.Contains(manager.Output, $"Executor {victimId} is lost");
        var executors = (await platform.Http.GetFromJsonAsync<JsonArray>("api/executors"))!.Select(e => e!).ToList();
        Assert.AreEqual(2, executors.Count(e => e["status"]!.GetValue<string>() == "alive"), "the manager brought the pool back to its minimum");
    }

    [TestMethod]
    public async Task SigTerm_TheExecutorStopsReceiving_FinishesItsTask_AndExits()
    {
        await using var platform = await Platform.StartAsync(DriverSettings);
        var settings = ManagerSettings.With("Executor__VisibilityTimeoutSeconds", "120");
        var first = platform.StartExecutor("drainer", slots: 1, settings);
        var (jobId, _) = await SubmitAsync(platform, Spec("output/scale-drain", tasks: 4, sleepMs: 2000));
        await platform.WaitForOutputAsync(" started", TimeSpan.FromSeconds(60));
        while (!first.Output.Contains("attempt 0-", StringComparison.Ordinal)) await Task.Delay(50);

        using (var kill = Process.Start("kill", ["-TERM", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Assert.AreEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)), first.Output);
        var lines = first.Output.Split('\n');
        Assert.AreEqual(1, lines.Count(l => l.Contains(" started", StringComparison.Ordinal) && l.Contains("Task ", StringComparison.Ordinal)), "it took no task after the signal\n" + first.Output);
        Assert.AreEqual(1, lines.Count(l => l.Contains(" committed ", StringComparison.Ordinal)), "it finished the task it held\n" + first.Output);
        StringAssert.Contains(first.Output, "drained and stopped");
        var beat = System.Text.Json.Nodes.JsonNode.Parse((await platform.Storage.Container.GetBlobClient("executors/drainer.json").DownloadContentAsync()).Value.Content.ToString())!;
        Assert.AreEqual("stopped", beat["status"]!.GetValue<string>());

        platform.StartExecutor("finisher", slots: 2, settings);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90));
        AssertSums(status, await platform.ReadDatasetAsync("output/scale-drain"), tasks: 4);
        Assert.IsFalse(status["stages"]!.AsArray().Any(s => s!["failures"]!.AsArray().Count > 0), "a drained task is not a failure: " + status.ToJsonString());
    }

    /// <summary>
    /// <paramref name="tasks"/> map tasks, each sleeping once and counting itself, then a shuffle to four reducers
    /// that sum the numbers by their last digit.
    /// </summary>
    private static string Spec(string output, int tasks, int sleepMs) => $$"""
        { "name": "scale", "settings": { "shufflePartitions": 4 }, "steps": [
          { "id": "taskCount", "op": "longAccumulator" },
          { "id": "numbers", "op": "range", "end": {{tasks * 100}}, "numSlices": {{tasks}} },
          { "id": "slow", "op": "mapPartitions", "from": "numbers", "fn": "rs => { taskCount.Add(1); System.Threading.Thread.Sleep({{sleepMs}}); return rs; }" },
          { "id": "pairs", "op": "map", "from": "slow", "fn": "n => (n % 10, n)" },
          { "id": "sums", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
          { "op": "saveAsTextFile", "from": "sums", "path": "{{output}}", "overwrite": true } ] }
        """;

    private static void AssertSums(JsonNode status, IReadOnlyList<string> lines, int tasks)
    {
        Assert.AreEqual("completed", status["runtimeStatus"]!.GetValue<string>(), status.ToJsonString());
        long n = tasks * 100L;
        JobRunner.AssertSameLines(Enumerable.Range(0, 10).Select(k => $"{k}\t{Enumerable.Range(0, (int)n).Where(x => x % 10 == k).Sum(x => (long)x)}"), lines);
        Assert.AreEqual(tasks, status["accumulators"]!["taskCount"]!.GetValue<double>(), "each map task counted once");
    }

    private static async Task<(string JobId, Stopwatch Started)> SubmitAsync(Platform platform, string spec)
    {
        using var response = await platform.SubmitAsync(spec);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, body);
        return (JsonNode.Parse(body)!["id"]!.GetValue<string>(), Stopwatch.StartNew());
    }

    private static async Task<JsonNode> RunAsync(Platform platform, string spec)
    {
        var (jobId, _) = await SubmitAsync(platform, spec);
        return await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Platform platform, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Waited {timeout.TotalSeconds} s for {what}.\n{platform.DescribeProcesses()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls <c>GET /api/executors</c> in the background: how many are alive now, at most, and which ever were.</summary>
    private sealed class PoolWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HashSet<string> _ids = [];
        private readonly Task _loop;

        public PoolWatch(Platform platform) => _loop = WatchAsync(platform.Http, _stop.Token);

        public int Alive { get; private set; }

        public int MaxAlive { get; private set; }

        public int Seen { get { lock (_ids) return _ids.Count; } }

        public IReadOnlyList<string> Ids { get { lock (_ids) return [.. _ids]; } }

        private async Task WatchAsync(HttpClient http, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var alive = (await http.GetFromJsonAsync<JsonArray>("api/executors", cancellationToken))!.Select(e => e!)
                        .Where(e => e["status"]!.GetValue<string>() is "alive" or "draining").Select(e => e["executorId"]!.GetValue<string>()).ToList();
                    lock (_ids) _ids.UnionWith(alive);
                    Alive = alive.Count;
                    MaxAlive = Math.Max(MaxAlive, Alive);
                    await Task.Delay(200, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}

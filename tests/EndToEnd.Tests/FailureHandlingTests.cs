using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Failures reported, not hidden; retries; speculative copies; cancellation. Each on its own platform of real processes.</summary>
[TestClass]
public sealed class FailureHandlingTests
{
    [TestMethod]
    public async Task LambdaThatAlwaysThrows_FailsAfterMaxTaskFailuresAndLeavesNothingVisible()
    {
        await using var platform = await FaultWorld.StartAsync();
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        string spec = FaultWorld.Spec("output/f-always", sleepMs: 0, extraSettings: ", \"retryBackoffMs\": 50")
            .Replace("\"maxTaskFailures\": 6", "\"maxTaskFailures\": 3", StringComparison.Ordinal)
            .Replace("\"fn\": \"l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)\"",
                "\"fn\": \"l => l.Contains(\\\"café\\\") ? throw new ArgumentException(\\\"no coffee: \\\" + l) : l.Split(' ', StringSplitOptions.RemoveEmptyEntries)\"", StringComparison.Ordinal);
        string jobId = await FaultWorld.SubmitAsync(platform, spec);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.AreEqual("failed", status["runtimeStatus"]!.GetValue<string>(), status.ToJsonString());
        StringAssert.Contains(status["error"]!.GetValue<string>(), "failed 3 times, most recent failure: System.ArgumentException: no coffee: ");
        var failures = status["stages"]![0]!["failures"]!.AsArray();
        Assert.IsTrue(failures.Count >= 3, "every failed attempt is listed with its error");
        Assert.IsTrue(failures.All(f => f!["error"]!["type"]!.GetValue<string>() == "System.ArgumentException"));

        Assert.AreEqual(0, (await FaultWorld.BlobsAsync(platform, "output", "f-always/")).Count, "no _SUCCESS and no part file");
        var poison = (await platform.Storage.Poison.ReceiveMessagesAsync(32)).Value;
        Assert.AreEqual(1, poison.Length, "the task that failed the job is on the poison queue");
        var poisoned = JsonNode.Parse(poison[0].Body.ToString())!;
        Assert.AreEqual(jobId, poisoned["task"]!["jobId"]!.GetValue<string>());
        StringAssert.Contains(poisoned["error"]!["message"]!.GetValue<string>(), "no coffee");
        await FaultWorld.WaitForCleanupAsync(platform, jobId, TimeSpan.FromSeconds(20));
    }

    [TestMethod]
    public async Task LambdaThatThrowsOnlyOnItsFirstAttempt_LetsTheJobSucceed()
    {
        await using var platform = await FaultWorld.StartAsync();
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        string spec = FaultWorld.Spec("output/f-once", sleepMs: 0, extraSettings: ", \"retryBackoffMs\": 50")
            .Replace("\"fn\": \"l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)\"",
                "\"fn\": \"l => l.Contains(\\\"café\\\") && TaskInfo.Current.Attempt == 0 ? throw new TimeoutException(\\\"flaky\\\") : l.Split(' ', StringSplitOptions.RemoveEmptyEntries)\"", StringComparison.Ordinal);
        string jobId = await FaultWorld.SubmitAsync(platform, spec);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-once");
        var failures = status["stages"]![0]!["failures"]!.AsArray();
        Assert.IsTrue(failures.Count > 0 && failures.All(f => f!["attempt"]!.GetValue<int>() == 0 && f["error"]!["message"]!.GetValue<string>() == "flaky"), status.ToJsonString());
    }

    [TestMethod]
    public async Task Speculation_ASlowPartitionIsCopiedAndTheCopyWins()
    {
        await using var platform = await FaultWorld.StartAsync();
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        platform.StartExecutor("e2", slots: 2, FaultWorld.ExecutorSettings);
        const string spec = """
            { "name": "speculation", "settings": { "speculation": true, "speculationQuantile": 0.5, "speculationMultiplier": 1.5,
                                                  "speculationMinTaskRuntimeMs": 300, "speculationIntervalMs": 200 }, "steps": [
              { "id": "seen", "op": "longAccumulator" },
              { "id": "numbers", "op": "range", "end": 8000, "numSlices": 8 },
              { "id": "slow", "op": "mapPartitions", "from": "numbers",
                "fn": "rs => { var t = TaskInfo.Current; if (t.Partition == 0 && t.Attempt == 0) System.Threading.Thread.Sleep(6000); return rs.Select(n => { seen.Add(1); return n; }); }" },
              { "id": "pairs", "op": "map", "from": "slow", "fn": "n => (n % 4, 1L)" },
              { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b", "numPartitions": 2 },
              { "id": "late", "op": "mapPartitions", "from": "counts", "fn": "rs => { System.Threading.Thread.Sleep(8000); return rs; }" },
              { "id": "all", "op": "collect", "from": "late" } ] }
            """;
        var (jobId, status) = await platform.RunAsync(spec);
        var mapStage = status["stages"]![0]!;
        // Which attempt committed says who won; the stage's duration would say it only on an unloaded machine.
        var tasks = (await platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/tasks"))!;
        var slow = tasks.Single(t => t!["stage"]!.GetValue<int>() == 0 && t["partition"]!.GetValue<int>() == 0)!;
        var committed = slow["attempts"]!.AsArray().Where(a => a!["outcome"]!.GetValue<string>() == "succeeded").Select(a => a!["attempt"]!.GetValue<int>()).ToList();
        CollectionAssert.AreEqual(new[] { 1 }, committed, $"the speculative copy, attempt 1, committed partition 0: {slow.ToJsonString()}");
        Assert.AreEqual("[[0,2000],[1,2000],[2,2000],[3,2000]]", (await platform.OutputAsync(jobId, "all"))["value"]!.AsArray().OrderBy(p => p![0]!.GetValue<int>()).Aggregate(new JsonArray(), (a, p) => { a.Add(p!.DeepClone()); return a; }).ToJsonString());
        Assert.AreEqual(8000, status["accumulators"]!["seen"]!.GetValue<double>(), "the records were counted once");
        Assert.AreEqual(0, mapStage["failures"]!.AsArray().Count);
        // The original woke while the job still ran, found the copy's commit marker, and threw its own output away.
        StringAssert.Contains(string.Join('\n', platform.Processes.Select(p => p.Output)), $"Task {jobId}/s0.0/p0.1 attempt", "the speculative copy ran as attempt 1");
        await platform.WaitForOutputAsync("its output is discarded", TimeSpan.FromSeconds(5));
    }

    [TestMethod]
    public async Task Cancel_StopsDispatchingStopsRunningTasksAndRemovesTemporaryFiles()
    {
        await using var platform = await FaultWorld.StartAsync();
        var settings = FaultWorld.ExecutorSettings.With("Executor__VisibilityTimeoutSeconds", "3");
        platform.StartExecutor("e1", slots: 2, settings);
        const string spec = """
            { "name": "endless", "steps": [
              { "id": "numbers", "op": "range", "end": 100000, "numSlices": 6 },
              { "id": "slow", "op": "map", "from": "numbers", "fn": "n => { System.Threading.Thread.Sleep(5); return (n % 10, 1L); }" },
              { "id": "counts", "op": "reduceByKey", "from": "slow", "fn": "(a, b) => a + b" },
              { "id": "n", "op": "count", "from": "counts" } ] }
            """;
        string jobId = await FaultWorld.SubmitAsync(platform, spec);
        await platform.WaitForOutputAsync($"Task {jobId}/s0.0/", TimeSpan.FromSeconds(30));
        using var cancel = await platform.Http.PostAsync($"api/jobs/{jobId}/cancel", null);
        Assert.AreEqual(HttpStatusCode.Accepted, cancel.StatusCode);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(30));
        Assert.AreEqual("canceled", status["runtimeStatus"]!.GetValue<string>());
        await platform.WaitForOutputAsync("ended; canceling the task", TimeSpan.FromSeconds(10));
        var started = platform.Processes.Sum(p => p.Output.Split('\n').Count(l => l.Contains($"Task {jobId}/s0.0/", StringComparison.Ordinal) && l.Contains(" started", StringComparison.Ordinal)));
        Assert.IsTrue(started <= 3, $"no new tasks after the cancel: {started} of 6 started");
        await FaultWorld.WaitForCleanupAsync(platform, jobId, TimeSpan.FromSeconds(20));
        using var again = await platform.Http.PostAsync($"api/jobs/{jobId}/cancel", null);
        Assert.AreEqual(HttpStatusCode.Conflict, again.StatusCode);
    }
}

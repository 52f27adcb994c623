using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// What a user sees of a job besides its output: the task table (where each task ran, what it read and wrote, how it
/// failed), each attempt's log with what its code printed, and executors' structured logs with the task's ids.
/// </summary>
[TestClass]
public sealed class ObservabilityTests
{
    /// <summary>Four map tasks that print every hundredth record; partition 3's first attempt throws on record 350.</summary>
    private const string Spec = """
        { "name": "observed", "settings": { "maxTaskFailures": 2, "retryBackoffMs": 100 }, "steps": [
          { "id": "n", "op": "range", "end": 400, "numSlices": 4 },
          { "id": "checked", "op": "map", "from": "n", "fn": "x => { if (x % 100 == 0) Console.WriteLine($\"checking {x}\"); if (x == 350 && TaskInfo.Current!.Attempt == 0) throw new InvalidOperationException(\"bad record 350\"); return x; }" },
          { "op": "count", "from": "checked" } ] }
        """;

    [TestMethod]
    public async Task TaskTableAndLogs_ShowWhereEachTaskRanWhatItReadAndWhatItPrinted()
    {
        var platform = SharedPlatform.Instance;
        var (jobId, status) = await platform.RunAsync(Spec);
        var tasks = (await platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/tasks"))!.Select(t => t!).ToList();
        Assert.AreEqual(4, tasks.Count, "one row per map task (count has no stage of its own)");
        foreach (var task in tasks)
        {
            Assert.AreEqual("succeeded", task["status"]!.GetValue<string>());
            Assert.AreEqual(100, task["recordsIn"]!.GetValue<long>());
            StringAssert.StartsWith(task["executorId"]!.GetValue<string>(), "manager-e", "the executor that committed it");
            Assert.IsTrue(task["durationMs"]!.GetValue<double>() > 0);
            Assert.IsTrue(task["metrics"]?["gcPauseMs"]?.GetValue<double>() >= 0, "the committed attempt's GC time is reported");
        }
        var retried = tasks.Single(t => t["partition"]!.GetValue<int>() == 3);
        Assert.AreEqual(1, retried["attempt"]!.GetValue<int>());
        StringAssert.Contains(retried["error"]!["message"]!.GetValue<string>(), "bad record 350", "the failure stays in the table after the retry succeeded");

        var logs = (await platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/logs?stage=0&partition=3"))!.Select(l => l!).ToList();
        Assert.AreEqual(2, logs.Count, "both attempts of partition 3 logged");
        string first = logs.Single(l => l["attemptId"]!.GetValue<string>().StartsWith("0-", StringComparison.Ordinal))["text"]!.GetValue<string>();
        StringAssert.Contains(first, "checking 300", "what the lambda printed");
        StringAssert.Contains(first, "InvalidOperationException: bad record 350");
        StringAssert.Contains(first, " started");
        string second = logs.Single(l => l["attemptId"]!.GetValue<string>().StartsWith("1-", StringComparison.Ordinal))["text"]!.GetValue<string>();
        StringAssert.Contains(second, "committed");
        Assert.IsFalse(second.Contains("checking 0", StringComparison.Ordinal), "another task's print never lands in this one's log");

        var all = (await platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/logs"))!;
        Assert.AreEqual(5, all.Count, "four tasks, one of them twice");
        Assert.AreEqual(1, status["stages"]![0]!["failedAttempts"]!.GetValue<int>());
    }

    [TestMethod]
    public async Task JsonLogs_CarryTheTasksIdsAsFields()
    {
        await using var platform = await Platform.StartAsync();
        var executor = platform.StartExecutor("json-executor", slots: 1, new Dictionary<string, string> { ["Spark__LogFormat"] = "json" });
        var (jobId, _) = await platform.RunAsync(Spec);
        var events = executor.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.IsTrue(events.Count > 0, executor.Output);
        var committed = events.Where(e => e["EventId"]!.GetValue<int>() == 210).ToList();
        Assert.AreEqual(4, committed.Count, "one committed event per task");
        foreach (var e in committed)
        {
            // Each scope is an object of its fields (and its own "Message"); a task's events sit in two.
            var fields = new Dictionary<string, string?>();
            foreach (var (key, value) in e["Scopes"]!.AsArray().SelectMany(s => s!.AsObject())) fields[key] = value?.ToString();
            Assert.AreEqual(jobId, fields["JobId"]);
            Assert.AreEqual("0", fields["StageId"]);
            Assert.IsTrue(fields.ContainsKey("Partition") && fields.ContainsKey("Attempt") && fields.ContainsKey("AttemptId"), string.Join(", ", fields.Keys));
            Assert.AreEqual("json-executor", fields["ExecutorId"]);
        }
        Assert.IsTrue(events.All(e => e["Timestamp"] is not null && e["LogLevel"] is not null), "every line is a complete JSON event");
    }
}

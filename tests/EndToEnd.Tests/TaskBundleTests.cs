using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Stages of many short tasks: the driver bundles them into messages, and every task still counts exactly once.</summary>
[TestClass]
public sealed class TaskBundleTests
{
    private static Platform Platform => SharedPlatform.Instance;

    [TestMethod]
    public async Task ManyShortTasks_AreBundled_AndEachCountsOnce()
    {
        var (jobId, _) = await Platform.RunAsync("""
            { "name": "many-short", "steps": [
              { "id": "numbers", "op": "range", "end": 3000, "numSlices": 300 },
              { "id": "n", "op": "count", "from": "numbers" },
              { "id": "keyed", "op": "map", "from": "numbers", "fn": "x => { if (x == 2999) Console.WriteLine(\"the last number\"); return (0, x); }" },
              { "id": "sum", "op": "reduceByKey", "from": "keyed", "fn": "(a, b) => a + b", "numPartitions": 1 },
              { "id": "total", "op": "collect", "from": "sum" } ] }
            """, timeoutSeconds: 120);
        Assert.AreEqual(3000, (await Platform.OutputAsync(jobId, "n"))["value"]!.GetValue<long>());
        Assert.AreEqual(3000L * 2999 / 2, (await Platform.OutputAsync(jobId, "total"))["value"]![0]![1]!.GetValue<long>());

        // A bundle's tasks were sent in one message, so they share its enqueue time (start minus dispatch delay).
        var tasks = (await Platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/tasks"))!;
        var enqueued = tasks.Select(t => t!["metrics"]!).Select(m => m["startedAt"]!.GetValue<DateTimeOffset>().AddMilliseconds(-m["dispatchMs"]!.GetValue<double>()).UtcTicks / 1000).ToList();
        int shared = enqueued.Count - enqueued.Distinct().Count();
        Assert.IsTrue(shared >= 100, $"expected most of the 600 tasks to travel in bundles; {shared} shared a message");

        // Bundled tasks with nothing to say store no log; one that printed keeps its own, bundled or not.
        var logs = (await Platform.Http.GetFromJsonAsync<JsonArray>($"api/jobs/{jobId}/logs"))!;
        Assert.IsTrue(logs.Count < tasks.Count - 100, $"{logs.Count} logs for {tasks.Count} tasks");
        Assert.IsTrue(logs.Any(l => l!["partition"]!.GetValue<int>() == 299 && l["text"]!.GetValue<string>().Contains("the last number", StringComparison.Ordinal)),
            "the task that wrote to the console has its log");
    }
}

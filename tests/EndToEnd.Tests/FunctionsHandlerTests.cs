using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// The driver and the executor as Azure Functions custom handlers, driven the way the Functions host drives them:
/// queue-trigger invocation payloads in, <c>Outputs</c>/<c>Logs</c>/<c>ReturnValue</c> out, output bindings sent on.
/// </summary>
[TestClass]
public sealed class FunctionsHandlerTests
{
    private const string Spec = """
        { "name": "functions", "settings": { "shufflePartitions": 2 }, "steps": [
          { "id": "numbers", "op": "range", "end": 1000, "numSlices": 4 },
          { "id": "pairs", "op": "map", "from": "numbers", "fn": "n => (n % 7, 1L)" },
          { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
          { "op": "saveAsTextFile", "from": "counts", "path": "output/functions", "overwrite": true } ] }
        """;

    [TestMethod]
    public async Task DriverAndExecutorHandlers_RunAJobWhoseMessagesTheHostDelivers()
    {
        // The platform's own driver only serves as a bystander: orchestration happens in the handler.
        await using var platform = await Platform.StartAsync(new Dictionary<string, string> { ["Driver__Orchestrate"] = "false" });
        var (driverProcess, driver) = await platform.StartCustomHandlerAsync("driver-fn", "Spark.Serverless.Driver");
        var (executorProcess, executor) = await platform.StartCustomHandlerAsync("executor-fn", "Spark.Serverless.ExecutorFunction",
            new Dictionary<string, string> { ["Executor__Id"] = "fn-executor" });
        var host = new FunctionsHostStandIn();

        // The API through the handler's port, as the host forwards it.
        using var submitted = await driver.PostAsync("api/jobs", new StringContent(Spec, Encoding.UTF8, "application/json"));
        string body = await submitted.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, submitted.StatusCode, body);
        string jobId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        Assert.IsTrue(await platform.Storage.Container.GetBlobClient($"running/{jobId}").ExistsAsync(), "a running job has its marker for the sweep");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        JsonNode status;
        bool swept = false;
        while (true)
        {
            int delivered = await host.DeliverAsync(platform.Storage.Control, driver, "driver", "controlEvent");
            delivered += await host.DeliverAsync(platform.Storage.Tasks, executor, "executor", "task", ("controlEvent", platform.Storage.Control));
            status = (await driver.GetFromJsonAsync<JsonNode>($"api/jobs/{jobId}"))!;
            if (!swept && status["runtimeStatus"]!.GetValue<string>() == "running")
            {
                var timer = await host.FireTimerAsync(driver, "ticks");
                Assert.AreEqual(200, timer.Status, timer.Response?.ToJsonString());
                StringAssert.Contains(timer.Response!["Logs"]![0]!.GetValue<string>(), "Swept 1 running job");
                swept = true;
            }
            if (status["runtimeStatus"]!.GetValue<string>() is "completed" or "failed" or "canceled") break;
            Assert.IsTrue(DateTime.UtcNow < deadline, status.ToJsonString() + "\n" + platform.DescribeProcesses());
            if (delivered == 0) await Task.Delay(50);
        }

        Assert.AreEqual("completed", status["runtimeStatus"]!.GetValue<string>(), status.ToJsonString());
        JobRunner.AssertSameLines(Enumerable.Range(0, 7).Select(k => $"{k}\t{Enumerable.Range(0, 1000).Count(n => n % 7 == k)}"), await platform.ReadDatasetAsync("output/functions"));
        Assert.IsTrue(swept, "the timer function ran while the job ran");

        var taskCalls = host.Invocations.Where(i => i.Function == "executor").ToList();
        Assert.IsTrue(taskCalls.Count >= 6, "four map tasks and two reducers came through the handler");
        foreach (var call in taskCalls)
        {
            Assert.AreEqual(200, call.Status, call.Response?.ToJsonString());
            var outcome = JsonNode.Parse(call.Response!["Outputs"]!["controlEvent"]!.GetValue<string>())!;
            Assert.AreEqual("taskSucceeded", outcome["type"]!.GetValue<string>(), outcome.ToJsonString());
            Assert.AreEqual("fn-executor", outcome["executorId"]!.GetValue<string>());
            Assert.IsTrue(call.Response!["Logs"]!.AsArray().Count > 0 && call.Response.AsObject().ContainsKey("ReturnValue"));
        }
        var markers = new List<string>();
        await foreach (var blob in platform.Storage.Container.GetBlobsAsync(prefix: $"jobs/{jobId}/commits/")) markers.Add(blob.Name);
        Assert.AreEqual(6, markers.Count, "one commit marker per task: " + string.Join(", ", markers));
        Assert.AreEqual(6, executorProcess.Output.Split('\n').Count(l => l.Contains(" committed ", StringComparison.Ordinal)), executorProcess.Output);
        var failedDriverCalls = host.Invocations.Where(i => i.Function == "driver" && i.Status != 200).ToList();
        Assert.AreEqual(0, failedDriverCalls.Count, string.Join("\n", failedDriverCalls.Select(i => $"{i.Status}: {i.Response?.ToJsonString()}")) + "\n" + driverProcess.Output);
        Assert.IsFalse(await platform.Storage.Container.GetBlobClient($"running/{jobId}").ExistsAsync(), "the ended job's marker is gone");
    }

    [TestMethod]
    public async Task ExecutorHandler_AnswersBadPayloadsClearly_AndFailsATaskDeliveredTooOften()
    {
        await using var platform = await Platform.StartAsync();
        var (_, executor) = await platform.StartCustomHandlerAsync("executor-fn", "Spark.Serverless.ExecutorFunction",
            new Dictionary<string, string> { ["Executor__Id"] = "fn-executor", ["Executor__MaxDequeueCount"] = "5" });
        var host = new FunctionsHostStandIn();

        using (var garbage = await executor.PostAsync("executor", new StringContent("not json", Encoding.UTF8, "application/json")))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, garbage.StatusCode);
            StringAssert.Contains(await garbage.Content.ReadAsStringAsync(), "not JSON");
        }
        var wrongBinding = await host.InvokeAsync(executor, "executor", JsonNode.Parse("""{ "Data": { "myQueueItem": "{}" }, "Metadata": {} }""")!);
        Assert.AreEqual(400, wrongBinding.Status);
        StringAssert.Contains(wrongBinding.Response!["Logs"]![0]!.GetValue<string>(), "no 'task' in Data");

        const string task = """{"jobId":"20261121-000000-0000abcd","stageId":0,"stageAttempt":0,"partition":3,"attempt":1}""";
        var poisoned = await host.InvokeAsync(executor, "executor", new JsonObject
        {
            ["Data"] = new JsonObject { ["task"] = task },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = "6", ["Id"] = "m-1" },
        });
        Assert.AreEqual(200, poisoned.Status, poisoned.Response?.ToJsonString());
        var failed = JsonNode.Parse(poisoned.Response!["Outputs"]!["controlEvent"]!.GetValue<string>())!;
        Assert.AreEqual("taskFailed", failed["type"]!.GetValue<string>());
        Assert.AreEqual("PoisonMessage", failed["error"]!["type"]!.GetValue<string>());
        Assert.AreEqual(3, failed["partition"]!.GetValue<int>());
        var poison = (await platform.Storage.Poison.ReceiveMessagesAsync(10)).Value;
        Assert.AreEqual(task, poison.Single().Body.ToString(), "the message went to the poison queue as it was");
    }
}

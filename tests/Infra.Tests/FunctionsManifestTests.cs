using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Spark.Serverless.Driver.Functions;
using Spark.Serverless.Executor;
using Spark.Serverless.Executor.Functions;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Infra.Tests;

/// <summary>The Functions custom-handler manifests are well-formed and name what the handlers serve and read.</summary>
[TestClass]
public sealed class FunctionsManifestTests
{
    private static readonly SparkOptions Defaults = new();

    [TestMethod]
    public void HostJson_StartsTheRightExecutable_AndForwardsTheApisRequests()
    {
        var driver = Infra.Json("functions/driver/host.json");
        var executor = Infra.Json("functions/executor/host.json");
        foreach (var (host, assembly) in new[] { (driver, "Spark.Serverless.Driver"), (executor, "Spark.Serverless.ExecutorFunction") })
        {
            Assert.AreEqual("2.0", host["version"]!.GetValue<string>());
            Assert.AreEqual(assembly, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.AreEqual("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>(), "the queue clients' encoding (checked below)");
            Assert.IsTrue(host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>() > new ExecutorOptions().MaxDequeueCount,
                "the executor must see a message delivered too often before the host poisons it silently, to report the task failed");
        }
        Assert.IsTrue(driver["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>(), "the API's requests reach the driver as they are");
        Assert.AreEqual("", driver["extensions"]!["http"]!["routePrefix"]!.GetValue<string>(), "the API's own paths start with /api");
    }

    [TestMethod]
    public void ExecutorConcurrency_IsTheExecutorsSlots()
    {
        var queues = Infra.Json("functions/executor/host.json")["extensions"]!["queues"]!;
        int concurrency = queues["batchSize"]!.GetValue<int>() + queues["newBatchThreshold"]!.GetValue<int>();
        string main = File.ReadAllText(Infra.Path("bicep/main.bicep"));
        StringAssert.Contains(main, $"param executorSlots int = {concurrency}", "Executor__Slots splits the memory budget by the tasks the host runs at once");
    }

    [TestMethod]
    public void FunctionJson_NamesTheHandlersRoutesBindingsQueuesAndConnection()
    {
        var functions = Directory.GetDirectories(Infra.Path("functions"))
            .SelectMany(app => Directory.GetDirectories(app).Select(f => (App: System.IO.Path.GetFileName(app), Function: System.IO.Path.GetFileName(f))))
            .ToList();
        CollectionAssert.AreEquivalent(
            new[] { ("driver", "api"), ("driver", OrchestrationTriggers.ControlFunction), ("driver", OrchestrationTriggers.TimerFunction), ("executor", TaskTriggerHandler.FunctionName) },
            functions);

        var api = Bindings("driver/api");
        Assert.AreEqual("httpTrigger", api[0]["type"]!.GetValue<string>());
        Assert.AreEqual("{*path}", api[0]["route"]!.GetValue<string>());
        Assert.AreEqual(2, api.Count, "only HTTP in and out, or the host would not forward requests as they are");

        var control = Bindings($"driver/{OrchestrationTriggers.ControlFunction}").Single();
        AssertQueueBinding(control, "queueTrigger", OrchestrationTriggers.ControlBinding, nameof(SparkOptions.ControlQueue));

        var timer = Bindings($"driver/{OrchestrationTriggers.TimerFunction}").Single();
        Assert.AreEqual("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.AreEqual(6, timer["schedule"]!.GetValue<string>().Split(' ').Length, "an NCRONTAB schedule has six fields");

        var executor = Bindings($"executor/{TaskTriggerHandler.FunctionName}");
        AssertQueueBinding(executor.Single(b => b["direction"]!.GetValue<string>() == "in"), "queueTrigger", TaskTriggerHandler.TriggerBinding, nameof(SparkOptions.TaskQueue));
        AssertQueueBinding(executor.Single(b => b["direction"]!.GetValue<string>() == "out"), "queue", TaskTriggerHandler.OutputBinding, nameof(SparkOptions.ControlQueue));
    }

    [TestMethod]
    public async Task QueueClients_WriteBase64_AsTheQueueTriggerExpects()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var storage = new SparkStorage(new SparkOptions { ConnectionString = azurite.ConnectionString, TaskQueue = "encoding-check" });
        await storage.Tasks.CreateIfNotExistsAsync();
        await storage.Tasks.SendMessageAsync("""{"jobId":"j"}""");
        var raw = new QueueClient(azurite.ConnectionString, "encoding-check");
        string text = (await raw.ReceiveMessageAsync()).Value.Body.ToString();
        Assert.AreEqual("""{"jobId":"j"}""", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)));
    }

    private static List<JsonNode> Bindings(string function) =>
        Infra.Json($"functions/{function}/function.json")["bindings"]!.AsArray().Select(b => b!).ToList();

    /// <summary>A queue binding's type and name, its queue given as the app setting the code reads, and the connection setting.</summary>
    private static void AssertQueueBinding(JsonNode binding, string type, string name, string queueProperty)
    {
        Assert.AreEqual(type, binding["type"]!.GetValue<string>());
        Assert.AreEqual(name, binding["name"]!.GetValue<string>());
        string setting = $"{SparkOptions.Section}__{queueProperty}";
        Assert.AreEqual($"%{setting}%", binding["queueName"]!.GetValue<string>(), "the queue comes from the same setting the code reads");
        Assert.IsTrue(Infra.DocumentedSettings.Contains(setting), setting);
        Assert.AreEqual(SparkOptions.ConnectionSetting, binding["connection"]!.GetValue<string>());
        string functions = File.ReadAllText(Infra.Path("bicep/functions.bicep"));
        string value = (string)typeof(SparkOptions).GetProperty(queueProperty)!.GetValue(Defaults)!;
        StringAssert.Contains(functions, $"{{ name: '{setting}', value: '{value}' }}", "the Function apps set the setting to the queue the storage template creates");
    }
}

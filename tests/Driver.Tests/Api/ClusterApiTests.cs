using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Specialized;
using Spark.Serverless.Cluster;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Api;

/// <summary><c>GET /api/executors</c> and <c>GET /api/scale/history</c> of a real driver, over blobs the test writes.</summary>
[TestClass]
public sealed class ClusterApiTests
{
    [TestMethod]
    public async Task Executors_ReportsHeartbeats_AndASilentOneAsLost()
    {
        await using var platform = await Platform.StartAsync(new Dictionary<string, string> { ["Driver__Orchestrate"] = "false", ["Spark__ExecutorHeartbeatTimeoutSeconds"] = "15" });
        var registry = new ExecutorRegistry(platform.Storage);
        var now = DateTimeOffset.UtcNow;
        await registry.WriteAsync(Beat("fresh", now, ExecutorStatus.Alive), default);
        await registry.WriteAsync(Beat("silent", now.AddMinutes(-1), ExecutorStatus.Alive), default);
        await registry.WriteAsync(Beat("done", now.AddMinutes(-1), ExecutorStatus.Stopped), default);

        var executors = (await platform.Http.GetFromJsonAsync<JsonArray>("api/executors"))!.Select(e => e!).ToList();
        CollectionAssert.AreEqual(new[] { "done", "fresh", "silent" }, executors.Select(e => e["executorId"]!.GetValue<string>()).ToArray());
        CollectionAssert.AreEqual(new[] { "stopped", "alive", "lost" }, executors.Select(e => e["status"]!.GetValue<string>()).ToArray());
        Assert.AreEqual(1, executors[1]["running"]!.AsArray().Count);
    }

    [TestMethod]
    public async Task ScaleHistory_ServesRecentDecisionsOldestFirst_AndRefusesABadWindow()
    {
        await using var platform = await Platform.StartAsync(new Dictionary<string, string> { ["Driver__Orchestrate"] = "false" });
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        string Line(DateTimeOffset at, int started) => $$"""{"at":"{{at:O}}","managerId":"m","started":{{started}}}""" + "\n";
        var blob = platform.Storage.Container.GetAppendBlobClient(StorageLayout.ScaleHistory(hour, "m"));
        await blob.CreateIfNotExistsAsync();
        // Written out of order, and one too old for a 5-minute window.
        foreach (var line in new[] { Line(now.AddSeconds(-5), 2), Line(now.AddSeconds(-30), 1), Line(now.AddMinutes(-20), 9) })
            await blob.AppendBlockAsync(new MemoryStream(Encoding.UTF8.GetBytes(line)));

        var history = (await platform.Http.GetFromJsonAsync<JsonArray>("api/scale/history?minutes=5"))!;
        CollectionAssert.AreEqual(new[] { 1, 2 }, history.Select(r => r!["started"]!.GetValue<int>()).ToArray());

        using var bad = await platform.Http.GetAsync("api/scale/history?minutes=0");
        Assert.AreEqual(HttpStatusCode.BadRequest, bad.StatusCode);
        StringAssert.Contains(await bad.Content.ReadAsStringAsync(), "'minutes' must be from 1 to 1440");
    }

    private static ExecutorHeartbeat Beat(string id, DateTimeOffset lastSeen, ExecutorStatus status) => new()
    {
        ExecutorId = id,
        Host = "test",
        ProcessId = 1,
        Slots = 2,
        Running = id == "fresh" ? [new Messaging.TaskMessage("j", 0, 0, 1, 0)] : [],
        StartedAt = lastSeen.AddMinutes(-5),
        LastSeen = lastSeen,
        Status = status,
    };
}

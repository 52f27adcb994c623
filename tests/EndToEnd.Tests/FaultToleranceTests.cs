using System.Net.Http.Json;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// Jobs finish exactly once while executors and drivers die under them: each fault runs on its own platform of real
/// processes, and the output must equal the fault-free answer with every line counted once.
/// </summary>
[TestClass]
public sealed class FaultToleranceTests
{
    [TestMethod]
    public async Task ExecutorKilledMidTask_AnotherExecutorRedoesTheTask()
    {
        await using var platform = await FaultWorld.StartAsync();
        var victim = platform.StartExecutor("victim", slots: 1, FaultWorld.ExecutorSettings);
        platform.StartExecutor("survivor", slots: 1, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-executor", sleepMs: 40));
        await platform.WaitForOutputAsync("attempt", TimeSpan.FromSeconds(30));
        static bool TaskStarted(string line) => line.Contains("Task ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(" started", StringComparison.Ordinal);
        while (!victim.Output.Split('\n').Any(TaskStarted)) await Task.Delay(20);
        string killed = victim.Output.Split('\n').Last(TaskStarted).Split("Task ")[1].Split(' ')[0];
        victim.Kill();
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-executor");
        StringAssert.Contains(platform.Processes.Single(p => p.Name == "survivor").Output, $"Task {killed} attempt", "the survivor ran the task the victim died in");
    }

    [TestMethod]
    public async Task DriverKilledMidJob_ALaterDriverFinishesIt()
    {
        await using var platform = await FaultWorld.StartAsync();
        platform.StartExecutor("e1", slots: 1, FaultWorld.ExecutorSettings);
        platform.StartExecutor("e2", slots: 1, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-driver", sleepMs: 30));
        await FaultWorld.WaitForProgressAsync(platform.Http, jobId, succeeded: 1);
        platform.Processes[0].Kill();
        await Task.Delay(1000);
        var (_, second) = await platform.StartDriverAsync("driver-2", FaultWorld.DriverSettings);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120), second);
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-driver");
    }

    [TestMethod]
    public async Task TwoDriversAtOnce_ShareTheJobThroughTheStateBlob()
    {
        await using var platform = await FaultWorld.StartAsync();
        var (_, second) = await platform.StartDriverAsync("driver-2", FaultWorld.DriverSettings);
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-two-drivers", sleepMs: 10));
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120), second);
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-two-drivers");
    }

    [TestMethod]
    public async Task EveryTaskMessageDeliveredTwice_OutputAndAccumulatorsCountOnce()
    {
        await using var platform = await FaultWorld.StartAsync(FaultWorld.DriverSettings.With("Driver__DuplicateTaskMessages", "true"));
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        platform.StartExecutor("e2", slots: 2, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-duplicates", sleepMs: 10));
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-duplicates");
        Assert.IsTrue(platform.Processes.Any(p => p.Output.Contains("was already committed by", StringComparison.Ordinal) || p.Output.Contains("lost the commit", StringComparison.Ordinal)),
            "the second copies ran and were turned away by the commit markers");
    }

    [TestMethod]
    public async Task ShuffleFileDeletedAfterItsStage_OnlyThatMapPartitionIsRecomputed()
    {
        await using var platform = await FaultWorld.StartAsync();
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        platform.StartExecutor("e2", slots: 2, FaultWorld.ExecutorSettings);
        const string spec = """
            { "name": "fetch", "settings": { "shufflePartitions": 4 }, "steps": [
              { "id": "numbers", "op": "range", "end": 40000, "numSlices": 4 },
              { "id": "pairs", "op": "map", "from": "numbers", "fn": "n => (n % 97, 1L)" },
              { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
              { "id": "late", "op": "mapPartitions", "from": "counts", "fn": "rs => { System.Threading.Thread.Sleep(2500); return rs; }" },
              { "op": "saveAsTextFile", "from": "late", "path": "output/f-fetch", "overwrite": true } ] }
            """;
        string jobId = await FaultWorld.SubmitAsync(platform, spec);
        await WaitForStageAsync(platform, jobId, 0, "succeeded");
        // The reducers are asleep before their first read: take map partition 2's shuffle file away.
        var deleted = (await FaultWorld.BlobsAsync(platform, "spark", $"jobs/{jobId}/shuffle/0/2.")).Where(n => n.EndsWith(".data", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(1, deleted.Count);
        await platform.Storage.Container.DeleteBlobAsync(deleted[0]);

        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.AreEqual("completed", status["runtimeStatus"]!.GetValue<string>(), status.ToJsonString());
        JobRunner.AssertSameLines(Enumerable.Range(0, 97).Select(k => $"{k}\t{Enumerable.Range(0, 40000).Count(n => n % 97 == k)}"), await platform.ReadDatasetAsync("output/f-fetch"));
        var mapStage = status["stages"]![0]!;
        Assert.AreEqual(1, mapStage["attempt"]!.GetValue<int>(), "the map stage ran a second attempt");
        Assert.AreEqual(1, status["stages"]![1]!["attempt"]!.GetValue<int>(), "and the reducers ran again after it");
        Assert.IsTrue(status["stages"]![1]!["failures"]!.AsArray().Any(f => f!["error"]!["kind"]!.GetValue<string>() == "fetch"), "a fetch failure was reported");
        var recomputed = platform.Processes.Sum(p => CountOccurrences(p.Output, $"Task {jobId}/s0.1/"));
        Assert.AreEqual(2, recomputed, "only map partition 2 ran in the second attempt (a started and a committed line)");
        StringAssert.Contains(string.Join('\n', platform.Processes.Select(p => p.Output)), $"Task {jobId}/s0.1/p2.");
    }

    [TestMethod]
    public async Task DriverKilledWhileCommitting_ReadersSeeNothingUntilAnotherDriverFinishesTheCommit()
    {
        await using var platform = await FaultWorld.StartAsync(FaultWorld.DriverSettings.With("Driver__KillDuringCommit", "true"));
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-commit", sleepMs: 5));
        var first = platform.Processes[0];
        await first.WaitForExitAsync(TimeSpan.FromSeconds(120));
        StringAssert.Contains(first.Output, "killing this driver in the middle of the job commit");
        var during = await FaultWorld.BlobsAsync(platform, "output", "f-commit/");
        CollectionAssert.Contains(during, "f-commit/_COMMITTING");
        CollectionAssert.DoesNotContain(during, "f-commit/_SUCCESS");

        var (_, second) = await platform.StartDriverAsync("driver-2", FaultWorld.DriverSettings);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(120), second);
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-commit");
        CollectionAssert.DoesNotContain(await FaultWorld.BlobsAsync(platform, "output", "f-commit/"), "f-commit/_COMMITTING");
    }

    [TestMethod]
    public async Task DriverKilledBeforeTheCleanup_AnotherDriverDeletesTheTemporaryFiles()
    {
        // The delayed second cleanup is an hour away: only the first one, left in the dead driver's outbox, can run.
        var settings = FaultWorld.DriverSettings.With("Driver__CleanupDelaySeconds", "3600");
        await using var platform = await FaultWorld.StartAsync(settings.With("Driver__KillBeforeCleanup", "true"));
        platform.StartExecutor("e1", slots: 2, FaultWorld.ExecutorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-cleanup", sleepMs: 5));
        var first = platform.Processes[0];
        await first.WaitForExitAsync(TimeSpan.FromSeconds(120));
        StringAssert.Contains(first.Output, "killing this driver before it deletes the job's temporary files");
        Assert.AreNotEqual(0, (await FaultWorld.BlobsAsync(platform, "spark", $"jobs/{jobId}/shuffle/")).Count, "the dead driver deleted nothing");

        var (_, second) = await platform.StartDriverAsync("driver-2", settings);
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(60), second);
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-cleanup");
        await FaultWorld.WaitForCleanupAsync(platform, jobId, TimeSpan.FromSeconds(60));
    }

    [TestMethod]
    public async Task OneInTenStorageCallsFailing_TheJobStillCompletesCorrectly()
    {
        var faulty = FaultWorld.DriverSettings.With("Spark__FaultInjectionRate", "0.1");
        await using var platform = await FaultWorld.StartAsync(faulty);
        var executorSettings = FaultWorld.ExecutorSettings.With("Spark__FaultInjectionRate", "0.1");
        platform.StartExecutor("e1", slots: 2, executorSettings);
        platform.StartExecutor("e2", slots: 2, executorSettings);
        string jobId = await FaultWorld.SubmitAsync(platform, FaultWorld.Spec("output/f-storage", sleepMs: 5));
        System.Text.Json.Nodes.JsonNode status;
        try
        {
            status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(180));
        }
        catch (HttpRequestException e)
        {
            throw new AssertFailedException(e.Message + "\n" + platform.DescribeProcesses());
        }
        await FaultWorld.AssertCorrectAsync(platform, status, "output/f-storage");
    }

    private static async Task WaitForStageAsync(Platform platform, string jobId, int stage, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await platform.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonNode>($"api/jobs/{jobId}"))!["stages"]![stage]!["status"]!.GetValue<string>() != state)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Stage {stage} of {jobId} never became {state}.\n{platform.DescribeProcesses()}");
            await Task.Delay(20);
        }
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

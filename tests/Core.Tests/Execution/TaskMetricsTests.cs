using Spark.Serverless.Tests.Shuffle;

namespace Spark.Serverless.Tests.Execution;

[TestClass]
public sealed class TaskMetricsTests
{
    [TestMethod]
    public void GcPause_CountsTheCollectionsDuringTheAttempt_NotThoseBefore()
    {
        // A collection before the context exists must not be charged to it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var pausedBeforeContext = GC.GetTotalPauseDuration();
        var context = TestTasks.Context(TestTasks.Environment(1 << 20));

        var before = GC.GetTotalPauseDuration();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var paused = GC.GetTotalPauseDuration() - before;
        var metrics = context.CollectMetrics(DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.IsTrue(paused > TimeSpan.Zero, "a blocking collection pauses the process");
        Assert.IsTrue(metrics.GcPauseMs >= paused.TotalMilliseconds, $"{metrics.GcPauseMs} ms charged, {paused.TotalMilliseconds} ms paused");
        Assert.IsTrue(metrics.GcPauseMs <= (GC.GetTotalPauseDuration() - pausedBeforeContext).TotalMilliseconds, "pauses from before the attempt are not charged");
    }
}

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

    [TestMethod]
    public void Jit_CountsTheCompilationsDuringTheAttempt_NotThoseBefore()
    {
        var compiledBeforeContext = System.Runtime.JitInfo.GetCompilationTime();
        var context = TestTasks.Context(TestTasks.Environment(1 << 20));

        // A method built now has never been compiled: calling it makes the JIT compile it during the attempt.
        var x = System.Linq.Expressions.Expression.Parameter(typeof(int));
        var body = System.Linq.Expressions.Expression.Add(System.Linq.Expressions.Expression.Multiply(x, x), System.Linq.Expressions.Expression.Constant(7));
        var square = System.Linq.Expressions.Expression.Lambda<Func<int, int>>(body, x).Compile();
        Assert.AreEqual(16, square(3));
        var metrics = context.CollectMetrics(DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.IsTrue(metrics.JitMs > 0, $"{metrics.JitMs} ms of compilation charged");
        Assert.IsTrue(metrics.JitMs <= (System.Runtime.JitInfo.GetCompilationTime() - compiledBeforeContext).TotalMilliseconds,
            "compilation from before the attempt is not charged");
    }
}

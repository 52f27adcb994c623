using Spark.Serverless.Manager.Scaling;

namespace Spark.Serverless.Manager.Tests.Scaling;

[TestClass]
public sealed class ScaleRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly ScaleKnobs Knobs = new(MinExecutors: 0, MaxExecutors: 8, SchedulerBacklogTimeout: TimeSpan.FromSeconds(1),
        SustainedSchedulerBacklogTimeout: TimeSpan.FromSeconds(2), ExecutorIdleTimeout: TimeSpan.FromSeconds(60), SlotsPerExecutor: 2);

    [TestMethod]
    public void Backlog_WaitsForTheBacklogTimeoutBeforeTheFirstExecutor()
    {
        var first = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 10, 0, []), Knobs);
        Assert.AreEqual(0, first.Start, first.Reason);
        Assert.AreEqual(T0, first.State.BacklogSince);
        var later = ScaleRule.Decide(first.State, new ScaleInputs(T0.AddSeconds(1), 10, 0, []), Knobs);
        Assert.AreEqual(1, later.Start, later.Reason);
    }

    [TestMethod]
    public void SustainedBacklog_AddsInDoublingStepsUpToTheMaximum()
    {
        var pool = new List<ExecutorView>();
        var state = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 100, 0, pool), Knobs).State;
        var steps = new List<int>();
        // Poll every half second for a minute; each executor is busy with its two slots once started.
        for (var now = T0.AddSeconds(1); now < T0.AddSeconds(60); now = now.AddMilliseconds(500))
        {
            int running = pool.Count * 2;
            var d = ScaleRule.Decide(state, new ScaleInputs(now, 100, running, pool), Knobs);
            state = d.State;
            if (d.Start > 0) steps.Add(d.Start);
            for (int i = 0; i < d.Start; i++) pool.Add(Busy($"e{pool.Count}", 2));
            Assert.AreEqual(0, d.Stop.Count, "never removes during a backlog");
        }
        CollectionAssert.AreEqual(new[] { 1, 2, 4, 1 }, steps, "1, 2, 4, then what is left to reach the maximum of 8");
        Assert.AreEqual(8, pool.Count);
    }

    [TestMethod]
    public void Ramp_IsSpacedBySustainedTimeout()
    {
        var d1 = ScaleRule.Decide(new ScaleState(T0, null, 1), new ScaleInputs(T0.AddSeconds(1), 100, 0, []), Knobs);
        Assert.AreEqual(1, d1.Start);
        var pool = new[] { Busy("e0", 2) };
        var tooSoon = ScaleRule.Decide(d1.State, new ScaleInputs(T0.AddSeconds(2.5), 100, 2, pool), Knobs);
        Assert.AreEqual(0, tooSoon.Start, tooSoon.Reason);
        var due = ScaleRule.Decide(d1.State, new ScaleInputs(T0.AddSeconds(3), 100, 2, pool), Knobs);
        Assert.AreEqual(2, due.Start, due.Reason);
    }

    [TestMethod]
    public void Target_IsWhatTheTasksNeedNotTheMaximum()
    {
        // Three waiting tasks and two slots each: two executors, however long the backlog lasts.
        var state = new ScaleState(T0, null, 4);
        var d = ScaleRule.Decide(state, new ScaleInputs(T0.AddSeconds(5), 3, 0, []), Knobs);
        Assert.AreEqual(2, d.Start);
        Assert.AreEqual(2, d.Needed);
    }

    [TestMethod]
    public void NoScaleIn_WhileABacklogExists_EvenForIdleExecutors()
    {
        // An executor idle for ten minutes (for example, it just finished) while tasks still wait is kept.
        var pool = new[] { Idle("e0", T0.AddMinutes(-10)), Busy("e1", 2) };
        var d = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 5, 2, pool), Knobs with { MaxExecutors = 2 });
        Assert.AreEqual(0, d.Stop.Count, d.Reason);
        Assert.AreEqual(0, d.Start, "at the maximum");
    }

    [TestMethod]
    public void IdleScaleIn_RemovesOnlyExecutorsIdlePastTheTimeout()
    {
        var pool = new[] { Idle("old", T0.AddSeconds(-61)), Idle("new", T0.AddSeconds(-30)), Busy("busy", 1) };
        var d = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 1, 1, pool), Knobs);
        CollectionAssert.AreEqual(new[] { "old" }, d.Stop.ToArray(), d.Reason);
    }

    [TestMethod]
    public void IdleScaleIn_KeepsTheMinimum_OldestIdleGoFirst()
    {
        var pool = new[] { Idle("a", T0.AddSeconds(-100)), Idle("b", T0.AddSeconds(-300)), Idle("c", T0.AddSeconds(-200)) };
        var d = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 0, 0, pool), Knobs with { MinExecutors = 1 });
        CollectionAssert.AreEqual(new[] { "b", "c" }, d.Stop.ToArray());
    }

    [TestMethod]
    public void EmptyQueue_ScalesToZero()
    {
        var pool = new[] { Idle("a", T0.AddSeconds(-60)), Idle("b", T0.AddSeconds(-90)) };
        var d = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 0, 0, pool), Knobs);
        Assert.AreEqual(2, d.Stop.Count);
        var after = ScaleRule.Decide(d.State, new ScaleInputs(T0.AddSeconds(1), 0, 0, []), Knobs);
        Assert.AreEqual((0, 0), (after.Start, after.Stop.Count), "nothing to do with no work and no executors");
    }

    [TestMethod]
    public void BelowMinimum_StartsAtOnceWithoutBacklog()
    {
        var d = ScaleRule.Decide(ScaleState.Initial, new ScaleInputs(T0, 0, 0, [Busy("a", 0) with { Draining = true }]), Knobs with { MinExecutors = 2 });
        Assert.AreEqual(2, d.Start, "a draining executor does not count toward the minimum");
    }

    [TestMethod]
    public void Maximum_CountsStartingExecutors()
    {
        var pool = new[] { Starting("a"), Starting("b"), Starting("c") };
        var d = ScaleRule.Decide(new ScaleState(T0, T0, 4), new ScaleInputs(T0.AddSeconds(10), 100, 0, pool), Knobs with { MaxExecutors = 4 });
        Assert.AreEqual(1, d.Start, "three are already starting: one more reaches the maximum");
    }

    [TestMethod]
    public void OtherManagersRunningTasks_AreNotPending()
    {
        // Ten messages on the queue, ten running on another manager's executors: nothing waits.
        var d = ScaleRule.Decide(new ScaleState(T0, null, 1), new ScaleInputs(T0.AddSeconds(5), 10, 10, []), Knobs);
        Assert.AreEqual((0, 0), (d.Start, d.Pending));
    }

    [TestMethod]
    public void InvisibleMessages_OfDeadExecutorsOrDelayedRetries_AreNoBacklog()
    {
        // Three messages on the queue, none visible, none running: leases of a dead executor's tasks. No executor.
        var d = ScaleRule.Decide(new ScaleState(T0, null, 1), new ScaleInputs(T0.AddSeconds(5), 3, 0, []) { VisibleMessages = 0 }, Knobs);
        Assert.AreEqual((0, 0), (d.Start, d.Pending));
        // A full peek cannot see past its limit: the depth decides.
        var full = new ScaleInputs(T0, 500, 10, []) { VisibleMessages = ScaleRule.PeekLimit };
        Assert.AreEqual(490, full.Pending);
    }

    [TestMethod]
    public void BacklogClears_ResetsTheRamp()
    {
        var ramped = new ScaleState(T0, T0.AddSeconds(3), 8);
        var d = ScaleRule.Decide(ramped, new ScaleInputs(T0.AddSeconds(4), 0, 0, [Busy("a", 0)]), Knobs);
        Assert.AreEqual(ScaleState.Initial, d.State);
    }

    [TestMethod]
    public void RandomInputs_NeverLeaveTheBounds()
    {
        var random = new Random(7);
        var knobs = Knobs with { MinExecutors = 1, MaxExecutors = 5 };
        var state = ScaleState.Initial;
        var pool = new List<ExecutorView>();
        var now = T0;
        for (int step = 0; step < 5_000; step++)
        {
            now = now.AddMilliseconds(random.Next(100, 3000));
            int depth = random.Next(4) == 0 ? 0 : random.Next(0, 50);
            var views = pool.Select(e => random.Next(3) == 0 ? Idle(e.Id, now.AddSeconds(-random.Next(120))) : Busy(e.Id, random.Next(0, 3))).ToList();
            var d = ScaleRule.Decide(state, new ScaleInputs(now, depth, views.Sum(v => v.Running), views), knobs);
            state = d.State;
            pool.RemoveAll(e => d.Stop.Contains(e.Id));
            for (int i = 0; i < d.Start; i++) pool.Add(Starting($"e{step}-{i}"));
            Assert.IsTrue(pool.Count <= knobs.MaxExecutors, $"step {step}: {pool.Count} executors");
            Assert.IsTrue(pool.Count >= knobs.MinExecutors, $"step {step}: {pool.Count} executors");
            Assert.IsTrue(d.Stop.Count == 0 || d.Pending == 0, $"step {step}: removed during a backlog");
        }
    }

    private static ExecutorView Busy(string id, int running) => new(id, false, running, running == 0 ? T0 : null, false);

    private static ExecutorView Idle(string id, DateTimeOffset since) => new(id, false, 0, since, false);

    private static ExecutorView Starting(string id) => new(id, true, 0, null, false);
}

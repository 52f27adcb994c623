using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Driver.Tests.Orchestration;

[TestClass]
public sealed class OrchestratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void Submitted_StartsOnlyStagesWithoutParents()
    {
        var t = Orchestrator.Apply(NewJob(), [Submitted()]);
        Assert.AreEqual(JobStatus.Running, t.State.Status);
        var enqueue = t.Commands.OfType<EnqueueTasks>().Single();
        Assert.AreEqual(0, enqueue.StageId);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, enqueue.Tasks.Select(x => x.Partition).ToArray());
        Assert.AreEqual(StageStatus.Waiting, t.State.Stages[1].Status);
    }

    [TestMethod]
    public void QueuedTasks_StayWithinTheWindow_AndEachCommitReleasesOneMore()
    {
        var job = NewJob();
        job.Settings = job.Settings with { MaxQueuedTasks = 2 };
        var t = Orchestrator.Apply(job, [Submitted()]);
        CollectionAssert.AreEqual(new[] { 0, 1 }, t.Commands.OfType<EnqueueTasks>().Single().Tasks.Select(x => x.Partition).ToArray());
        Assert.IsTrue(t.State.Stages[0].Tasks[2].Held, "the third task waits in the driver");

        var next = Orchestrator.Apply(t.State, [Ok(0, 0)]);
        Assert.AreEqual(2, next.Commands.OfType<EnqueueTasks>().Single().Tasks.Single().Partition);
        Assert.IsFalse(next.State.Stages[0].Tasks[2].Held);

        // Room left by the map stage goes to the reducers once they launch, never beyond the window.
        var reducers = Orchestrator.Apply(next.State, [Ok(0, 1), Ok(0, 2)]);
        Assert.AreEqual(2, reducers.Commands.OfType<EnqueueTasks>().Where(c => c.StageId == 1).Sum(c => c.Tasks.Count));
    }

    [TestMethod]
    public void ShortTasks_GoSeveralToAMessage_OnceFourHaveCommitted()
    {
        var job = WideJob(tasks: 300);
        job.Settings = job.Settings with { MaxQueuedTasks = 4 };
        var t = Orchestrator.Apply(job, [Submitted()]);
        var first = t.Commands.OfType<EnqueueTasks>().Single();
        Assert.AreEqual(1, first.BundleSize, "no evidence yet: one task per message");
        Assert.AreEqual(4, first.Tasks.Count);

        // Four 5 ms tasks: 100 ms of work is 20 of them; four messages' room is 80 tasks.
        var next = Orchestrator.Apply(t.State, [Ok(0, 0, durationMs: 5), Ok(0, 1, durationMs: 5), Ok(0, 2, durationMs: 5), Ok(0, 3, durationMs: 5)]);
        var bundled = next.Commands.OfType<EnqueueTasks>().Single();
        Assert.AreEqual(20, bundled.BundleSize);
        Assert.AreEqual(4 * 20, bundled.Tasks.Count);

        // Tasks of a millisecond would make 100 to a message: capped.
        var tiny = Run(t.State, Ok(0, 0, durationMs: 1), Ok(0, 1, durationMs: 1), Ok(0, 2, durationMs: 1), Ok(0, 3, durationMs: 1));
        Assert.AreEqual(Orchestrator.MaxBundleSize, tiny.Outbox.OfType<EnqueueTasks>().Last().BundleSize);
    }

    [TestMethod]
    public void LongTasks_StayOneToAMessage_AndBundlingCanBeTurnedOff()
    {
        var job = WideJob(tasks: 100);
        var slow = Run(job, Submitted(), Ok(0, 0, durationMs: 400), Ok(0, 1, durationMs: 400), Ok(0, 2, durationMs: 400), Ok(0, 3, durationMs: 400));
        Assert.IsTrue(slow.Outbox.OfType<EnqueueTasks>().All(c => c.BundleSize == 1));

        var off = WideJob(tasks: 100);
        off.Settings = off.Settings with { TaskBundleMs = 0 };
        var fast = Run(off, Submitted(), Ok(0, 0, durationMs: 1), Ok(0, 1, durationMs: 1), Ok(0, 2, durationMs: 1), Ok(0, 3, durationMs: 1));
        Assert.IsTrue(fast.Outbox.OfType<EnqueueTasks>().All(c => c.BundleSize == 1));
    }

    [TestMethod]
    public void TaskReports_ApplyEachOfTheirEvents()
    {
        var state = Run(NewJob(), Submitted());
        var reports = new TaskReports { JobId = "j", At = T0, Events = [Ok(0, 0), Ok(0, 1), Failed(0, 2, 0)] };
        var t = Orchestrator.Apply(state, [reports]);
        Assert.AreEqual(TaskPhase.Succeeded, t.State.Stages[0].Tasks[0].Phase);
        Assert.AreEqual(TaskPhase.Succeeded, t.State.Stages[0].Tasks[1].Phase);
        Assert.AreEqual(1, t.State.Stages[0].Tasks[2].Failures);
    }

    [TestMethod]
    public void Apply_DoesNotChangeItsInput()
    {
        var job = NewJob();
        Orchestrator.Apply(job, [Submitted()]);
        Assert.AreEqual(JobStatus.Pending, job.Status);
        Assert.AreEqual(0, job.Outbox.Count);
    }

    [TestMethod]
    public void MapStageDone_PublishesMapOutputsBeforeEnqueueingReducers()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0), Ok(0, 1), Ok(0, 2));
        var kinds = state.Outbox.Select(c => c.GetType().Name).ToList();
        int publish = kinds.IndexOf(nameof(PublishMapOutputs));
        int enqueueReducers = state.Outbox.FindIndex(c => c is EnqueueTasks { StageId: 1 });
        Assert.IsTrue(publish >= 0 && enqueueReducers > publish, string.Join(",", kinds));
        Assert.AreEqual(StageStatus.Running, state.Stages[1].Status);
    }

    [TestMethod]
    public void AllStagesDone_CommitsThenCompletesWhenTheCommitRan()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0), Ok(0, 1), Ok(0, 2), Ok(1, 0), Ok(1, 1));
        Assert.AreEqual(JobStatus.Running, state.Status);
        Assert.IsTrue(state.Committing);
        var commit = state.Outbox.OfType<CommitJob>().Single();
        var done = Run(state, Completed(state.Outbox.Select(c => c.Id).ToArray()));
        Assert.AreEqual(JobStatus.Completed, done.Status);
        // The temporary files are removed after the completion is saved, and again once the delay has passed.
        CollectionAssert.AreEqual(new[] { nameof(CleanUpJob), nameof(ScheduleTick) }, done.Outbox.Select(c => c.GetType().Name).ToArray());
        Assert.AreEqual(30_000, done.Outbox.OfType<ScheduleTick>().Single().DelayMs);
        Assert.AreEqual(T0, done.CompletedAt);
        Assert.IsTrue(commit.Id > 0);
    }

    [TestMethod]
    public void CleanUpCommand_LoadsFromTheNameEarlierDriversSavedIt()
    {
        // Before completed jobs used it, the cleanup command was saved as "abortJob"; such outboxes must still load.
        var command = SparkJson.FromBinary<JobCommand>(BinaryData.FromString("{\"type\":\"abortJob\",\"id\":7}"));
        Assert.IsInstanceOfType<CleanUpJob>(command);
        Assert.AreEqual(7, command.Id);
        Assert.AreEqual(command, SparkJson.FromBinary<JobCommand>(SparkJson.ToBinary<JobCommand>(command)));
    }

    [TestMethod]
    public void DuplicateAndReorderedEvents_AreAppliedOnce()
    {
        var once = Run(NewJob(), Submitted(), Ok(0, 2), Ok(0, 0), Ok(0, 1));
        var noisy = Run(NewJob(), Submitted(), Submitted(), Ok(0, 2), Ok(0, 0), Ok(0, 2), Ok(0, 1), Ok(0, 0), Ok(0, 1));
        Assert.AreEqual(once.Outbox.Count, noisy.Outbox.Count);
        Assert.AreEqual(1, noisy.Outbox.OfType<PublishMapOutputs>().Count());
        Assert.AreEqual(1, noisy.Outbox.OfType<EnqueueTasks>().Count(c => c.StageId == 1));
        Assert.IsTrue(noisy.Stages[0].Tasks.All(t => t.Attempts.Count == 1));
    }

    [TestMethod]
    public void EventsOfAnotherStageAttempt_ChangeNothing()
    {
        var state = Run(NewJob(), Submitted());
        var t = Orchestrator.Apply(state, [Ok(0, 0, stageAttempt: 1), Failed(0, 1, attempt: 0, stageAttempt: 7)]);
        Assert.IsFalse(t.Changed);
    }

    [TestMethod]
    public void Failure_RetriesWithTheNextAttemptUntilMaxTaskFailures()
    {
        var state = Run(NewJob(maxTaskFailures: 3), Submitted(), Failed(0, 1, attempt: 0));
        Assert.AreEqual(1, state.Stages[0].Tasks[1].Attempt);
        Assert.IsTrue(state.Outbox.OfType<EnqueueTasks>().Any(c => c.Tasks.SequenceEqual([new TaskRef(1, 1)])));

        var stale = Orchestrator.Apply(state, [Failed(0, 1, attempt: 0)]);
        Assert.IsFalse(stale.Changed, "a late report of the superseded attempt does not count again");

        state = Run(state, Failed(0, 1, attempt: 1), Failed(0, 1, attempt: 2));
        Assert.AreEqual(JobStatus.Failed, state.Status);
        StringAssert.Contains(state.Error, "Task 1 in stage 0.0 failed 3 times, most recent failure: System.InvalidOperationException: boom 2");
        Assert.IsTrue(state.Outbox.OfType<CleanUpJob>().Any());
        Assert.IsFalse(state.Outbox.OfType<EnqueueTasks>().Any(), "nothing more is dispatched for a failed job");
        Assert.AreEqual(3, state.Stages[0].Tasks[1].Attempts.Count);
    }

    [TestMethod]
    public void SuccessAfterFailure_CountsAndLaterEventsAreIgnored()
    {
        var state = Run(NewJob(), Submitted(), Failed(0, 0, attempt: 0), Ok(0, 0, attempt: 1));
        Assert.AreEqual(TaskPhase.Succeeded, state.Stages[0].Tasks[0].Phase);
        Assert.IsFalse(Orchestrator.Apply(state, [Failed(0, 0, attempt: 1)]).Changed);
    }

    [TestMethod]
    public void Cancel_StopsTheJobOnceAndAborts()
    {
        var state = Run(NewJob(), Submitted(), new CancelRequested { JobId = "j", At = T0 });
        Assert.AreEqual(JobStatus.Canceled, state.Status);
        Assert.AreEqual(1, state.Outbox.OfType<CleanUpJob>().Count());
        Assert.IsFalse(state.Outbox.OfType<EnqueueTasks>().Any());
        Assert.IsFalse(Orchestrator.Apply(state, [new CancelRequested { JobId = "j", At = T0 }, Ok(0, 0)]).Changed);
    }

    [TestMethod]
    public void CancelDuringTheCommit_IsTooLate_TheJobCompletes()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0), Ok(0, 1), Ok(0, 2), Ok(1, 0), Ok(1, 1));
        Assert.IsTrue(state.Committing);
        Assert.IsFalse(Orchestrator.Apply(state, [new CancelRequested { JobId = "j", At = T0 }]).Changed);
        Assert.IsFalse(state.Outbox.OfType<CleanUpJob>().Any(), "no abort may delete the attempt files the commit copies");
        var done = Run(state, Completed(state.Outbox.Select(c => c.Id).ToArray()));
        Assert.AreEqual(JobStatus.Completed, done.Status);
    }

    [TestMethod]
    public void StageWithNoPartitions_SucceedsAtOnce()
    {
        var job = NewJob();
        job.Stages[0].Tasks.Clear();
        var state = Run(job, Submitted());
        Assert.AreEqual(StageStatus.Succeeded, state.Stages[0].Status);
        Assert.AreEqual(StageStatus.Running, state.Stages[1].Status);
    }

    [TestMethod]
    public void FetchFailure_RecomputesOnlyTheLostMapPartitionThenRerunsTheReadersUnfinishedTasks()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0), Ok(0, 1), Ok(0, 2), Ok(1, 0));
        var t = Orchestrator.Apply(state, [FetchFailed(1, 1, mapStage: 0, mapPartition: 2)]);
        state = t.State;
        Assert.AreEqual(1, state.Stages[0].Attempt, "the map stage runs again as attempt 1");
        Assert.AreEqual(StageStatus.Running, state.Stages[0].Status);
        var rerun = t.Commands.OfType<EnqueueTasks>().Single();
        Assert.AreEqual((0, 1), (rerun.StageId, rerun.StageAttempt));
        CollectionAssert.AreEqual(new[] { 2 }, rerun.Tasks.Select(x => x.Partition).ToArray(), "only the lost partition");
        Assert.AreEqual(StageStatus.Waiting, state.Stages[1].Status);
        Assert.AreEqual(0, state.Stages[1].Tasks[1].Failures, "a fetch failure is not the task's fault");

        Assert.IsFalse(Orchestrator.Apply(state, [Ok(1, 1), Failed(1, 1, attempt: 0)]).Changed, "events of the stopped reader attempt are stale");
        t = Orchestrator.Apply(state, [Ok(0, 2, attempt: 1, stageAttempt: 1)]);
        state = t.State;
        Assert.AreEqual(1, state.Stages[0].Tasks[2].CommittedStageAttempt);
        Assert.IsTrue(t.Commands.OfType<PublishMapOutputs>().Any(), "the map outputs are published again");
        var readers = t.Commands.OfType<EnqueueTasks>().Single();
        Assert.AreEqual((1, 1), (readers.StageId, readers.StageAttempt));
        CollectionAssert.AreEqual(new[] { 1 }, readers.Tasks.Select(x => x.Partition).ToArray(), "reducer 0 had committed; only reducer 1 reruns");
        state = Run(state, Ok(1, 1, attempt: readers.Tasks[0].Attempt, stageAttempt: 1));
        Assert.IsTrue(state.Committing);
    }

    [TestMethod]
    public void FetchFailures_PastMaxStageAttempts_FailTheJob()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0), Ok(0, 1), Ok(0, 2));
        for (int attempt = 0; attempt < 3; attempt++)
        {
            state = Run(state, FetchFailed(1, 0, mapStage: 0, mapPartition: 0, stageAttempt: attempt));
            state = Run(state, Ok(0, 0, attempt: attempt + 1, stageAttempt: attempt + 1));
        }
        Assert.AreEqual(JobStatus.Running, state.Status);
        state = Run(state, FetchFailed(1, 0, mapStage: 0, mapPartition: 0, stageAttempt: 3));
        Assert.AreEqual(JobStatus.Failed, state.Status);
        StringAssert.Contains(state.Error, "stage 1 failed 4 times because its input from stage 0 was lost");
    }

    [TestMethod]
    public void Retries_BackOffExponentially_AndTheLastFailurePoisonsTheMessage()
    {
        var state = Run(NewJob(maxTaskFailures: 4), Submitted());
        var delays = new List<int>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var t = Orchestrator.Apply(state, [Failed(0, 0, attempt)]);
            delays.Add(t.Commands.OfType<EnqueueTasks>().Single().DelayMs);
            state = t.State;
        }
        CollectionAssert.AreEqual(new[] { 200, 400, 800 }, delays);
        var last = Orchestrator.Apply(state, [Failed(0, 0, 3)]);
        var poison = last.Commands.OfType<PoisonTask>().Single();
        Assert.AreEqual(new Spark.Serverless.Messaging.TaskMessage("j", 0, 0, 0, 3), poison.Task);
        Assert.AreEqual("boom 3", poison.Error.Message);
    }

    [TestMethod]
    public void Speculation_CopiesAStragglerOnceAndEitherCopyCanWin()
    {
        var job = NewJob(speculation: true);
        job.Stages[0].Tasks.AddRange(Enumerable.Range(3, 5).Select(p => new TaskState { Partition = p }));
        var state = Run(job, Submitted());
        for (int p = 0; p < 8; p++) state = Run(state, Started(0, p, T0));
        for (int p = 1; p < 8; p++) state = Run(state, Ok(0, p, durationMs: 100));
        var early = Orchestrator.Apply(state, [TimerTick(state, T0.AddMilliseconds(120))]);
        Assert.IsFalse(early.Commands.OfType<EnqueueTasks>().Any(), "not yet 1.5 x the median");
        var t = Orchestrator.Apply(state, [TimerTick(state, T0.AddSeconds(2))]);
        var copy = t.Commands.OfType<EnqueueTasks>().Single();
        CollectionAssert.AreEqual(new[] { new TaskRef(0, 1) }, copy.Tasks.ToArray());
        Assert.IsTrue(t.Commands.OfType<ScheduleTick>().Any(), "the timer keeps ticking while the job runs");
        state = t.State;
        Assert.IsFalse(Orchestrator.Apply(state, [TimerTick(state, T0.AddSeconds(3))]).Commands.OfType<EnqueueTasks>().Any(), "one copy per task");
        Assert.IsFalse(Orchestrator.Apply(state, [Failed(0, 0, attempt: 0)]).Changed, "the original's failure does not count while its copy runs");
        state = Run(state, Ok(0, 0, attempt: 0));
        Assert.AreEqual(TaskPhase.Succeeded, state.Stages[0].Tasks[0].Phase, "the original may still win");
    }

    [TestMethod]
    public void Tick_LooksForLostTasksWhileTheJobRuns()
    {
        var submitted = Orchestrator.Apply(NewJob(), [Submitted()]);
        Assert.IsTrue(submitted.Commands.OfType<ScheduleTick>().Any(), "a running job always has a timer, for lost executors");
        var t = Orchestrator.Apply(submitted.State, [TimerTick(submitted.State, T0.AddSeconds(5))]);
        Assert.AreEqual(1, t.Commands.OfType<FindLostTasks>().Count());
        Assert.AreEqual(1, t.Commands.OfType<ScheduleTick>().Count());
    }

    [TestMethod]
    public void Timer_OnlyTheCurrentTickContinuesTheChain_AndASweepRestartsOnlyAnOverdueOne()
    {
        var state = Run(NewJob(), Submitted());
        var stale = Orchestrator.Apply(state, [new Tick { JobId = "j", At = T0.AddSeconds(5), Seq = state.TickSeq - 1 }]);
        Assert.IsFalse(stale.Commands.OfType<ScheduleTick>().Any(), "a duplicated chain ends");
        var sweep = Orchestrator.Apply(state, [new Tick { JobId = "j", At = T0.AddSeconds(6) }]);
        Assert.IsTrue(sweep.Commands.OfType<FindLostTasks>().Any(), "a sweep still looks for lost tasks");
        Assert.IsFalse(sweep.Commands.OfType<ScheduleTick>().Any(), "the timer is on time: no second chain");
        var late = Orchestrator.Apply(state, [new Tick { JobId = "j", At = T0.AddMinutes(5) }]);
        Assert.AreEqual(state.TickSeq + 1, late.Commands.OfType<ScheduleTick>().Single().Seq, "the timer's message was lost: the sweep restarts it");
    }

    [TestMethod]
    public void LostTask_RunsAgainAsANewAttemptWithoutCountingAsAFailure()
    {
        var state = Run(NewJob(maxTaskFailures: 1), Submitted(), Started(0, 1, T0));
        var t = Orchestrator.Apply(state, [Lost(0, 1, attempt: 0)]);
        var enqueue = t.Commands.OfType<EnqueueTasks>().Single();
        CollectionAssert.AreEqual(new[] { new TaskRef(1, 1) }, enqueue.Tasks.ToArray());
        Assert.AreEqual(JobStatus.Running, t.State.Status, "one allowed failure, yet a lost executor does not fail the job");
        Assert.AreEqual("lost", t.State.Stages[0].Tasks[1].Attempts.Single().Outcome);
        Assert.IsFalse(Orchestrator.Apply(t.State, [Lost(0, 1, attempt: 0)]).Changed, "reported again on the next tick: already rerun");
        var done = Run(t.State, Ok(0, 1, attempt: 1));
        Assert.AreEqual(TaskPhase.Succeeded, done.Stages[0].Tasks[1].Phase);
    }

    [TestMethod]
    public void LostTask_ThatAlreadySucceededOrBelongsToAnOldStageAttempt_ChangesNothing()
    {
        var state = Run(NewJob(), Submitted(), Ok(0, 0));
        Assert.IsFalse(Orchestrator.Apply(state, [Lost(0, 0, attempt: 0)]).Changed);
        Assert.IsFalse(Orchestrator.Apply(state, [Lost(0, 2, attempt: 0, stageAttempt: 3)]).Changed);
        Assert.IsFalse(Orchestrator.Apply(state, [Lost(1, 0, attempt: 0)]).Changed, "stage 1 has not started");
    }

    [TestMethod]
    public void EndedJob_GetsOneDelayedSecondCleanup()
    {
        var state = Run(NewJob(), Submitted(), new CancelRequested { JobId = "j", At = T0 });
        Assert.IsTrue(state.Outbox.OfType<ScheduleTick>().Any(t => t.DelayMs == 30_000));
        Assert.IsFalse(Orchestrator.Apply(state, [new Tick { JobId = "j", At = T0.AddSeconds(2), Seq = state.TickSeq - 1 }]).Changed, "a running-time tick still in flight does not clean up early");
        var t = Orchestrator.Apply(state, [TimerTick(state, T0.AddSeconds(30))]);
        Assert.AreEqual(1, t.Commands.OfType<CleanUpJob>().Count());
        Assert.IsFalse(Orchestrator.Apply(t.State, [TimerTick(t.State, T0.AddSeconds(31))]).Changed);
    }

    [TestMethod]
    public void EventsOfAnotherJob_AreIgnored()
    {
        Assert.IsFalse(Orchestrator.Apply(NewJob(), [new JobSubmitted { JobId = "other", At = T0 }]).Changed);
    }

    internal static JobState NewJob(int maxTaskFailures = 4, bool speculation = false) => JobState.Create(new JobPlan
    {
        JobId = "j",
        Name = "test",
        PlanHash = "h",
        AppBlob = "a",
        AppType = "t",
        Settings = new JobSettings { MaxTaskFailures = maxTaskFailures, Speculation = speculation },
        Nodes = [],
        Stages = [new StageInfo(0, StageKind.ShuffleMap, 3, 2, 3, [], "map"), new StageInfo(1, StageKind.Result, 4, 3, 2, [0], "save")],
        Sources = new Dictionary<int, IReadOnlyList<Spark.Serverless.IO.InputSplit>>(),
        Actions = [],
    }, T0);

    private static JobState WideJob(int tasks) => JobState.Create(new JobPlan
    {
        JobId = "j",
        Name = "wide",
        PlanHash = "h",
        AppBlob = "a",
        AppType = "t",
        Settings = new JobSettings(),
        Nodes = [],
        Stages = [new StageInfo(0, StageKind.Result, 1, 0, tasks, [], "count")],
        Sources = new Dictionary<int, IReadOnlyList<Spark.Serverless.IO.InputSplit>>(),
        Actions = [],
    }, T0);

    private static JobState Run(JobState state, params ControlEvent[] events) => Orchestrator.Apply(state, events).State;

    private static JobSubmitted Submitted() => new() { JobId = "j", At = T0 };

    private static CommandsCompleted Completed(long[] ids) => new() { JobId = "j", At = T0, CommandIds = ids };

    private static TaskSucceeded Ok(int stage, int partition, int attempt = 0, int stageAttempt = 0, double durationMs = 10) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = attempt,
        ExecutorId = "e1", CommittedAttemptId = $"{attempt}-abc", Metrics = new TaskMetrics { DurationMs = durationMs },
    };

    private static TaskStarted Started(int stage, int partition, DateTimeOffset at, int attempt = 0) => new()
    {
        JobId = "j", At = at, StageId = stage, StageAttempt = 0, Partition = partition, Attempt = attempt, ExecutorId = "e1",
    };

    private static Tick TimerTick(JobState state, DateTimeOffset at) => new() { JobId = "j", At = at, Seq = state.TickSeq };

    private static TasksLost Lost(int stage, int partition, int attempt, int stageAttempt = 0) => new()
    {
        JobId = "j", At = T0, Tasks = [new LostTask(new TaskMessage("j", stage, stageAttempt, partition, attempt), "e1")],
    };

    private static TaskFailed FetchFailed(int stage, int partition, int mapStage, int mapPartition, int stageAttempt = 0) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = 0, ExecutorId = "e1",
        Error = new TaskError("Spark.Serverless.Execution.FetchFailedException", "gone", null, "fetch") { FetchStageId = mapStage, FetchMapPartition = mapPartition },
    };

    private static TaskFailed Failed(int stage, int partition, int attempt, int stageAttempt = 0) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = attempt,
        ExecutorId = "e1", Error = new TaskError("System.InvalidOperationException", $"boom {attempt}", null),
    };
}

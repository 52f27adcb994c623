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
        Assert.AreEqual(0, done.Outbox.Count);
        Assert.AreEqual(T0, done.CompletedAt);
        Assert.IsTrue(commit.Id > 0);
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
        Assert.IsTrue(state.Outbox.OfType<AbortJob>().Any());
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
        Assert.AreEqual(1, state.Outbox.OfType<AbortJob>().Count());
        Assert.IsFalse(state.Outbox.OfType<EnqueueTasks>().Any());
        Assert.IsFalse(Orchestrator.Apply(state, [new CancelRequested { JobId = "j", At = T0 }, Ok(0, 0)]).Changed);
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
    public void EventsOfAnotherJob_AreIgnored()
    {
        Assert.IsFalse(Orchestrator.Apply(NewJob(), [new JobSubmitted { JobId = "other", At = T0 }]).Changed);
    }

    private static JobState NewJob(int maxTaskFailures = 4) => JobState.Create(new JobPlan
    {
        JobId = "j",
        Name = "test",
        PlanHash = "h",
        AppBlob = "a",
        AppType = "t",
        Settings = new JobSettings { MaxTaskFailures = maxTaskFailures },
        Nodes = [],
        Stages = [new StageInfo(0, StageKind.ShuffleMap, 3, 2, 3, [], "map"), new StageInfo(1, StageKind.Result, 4, 3, 2, [0], "save")],
        Sources = new Dictionary<int, IReadOnlyList<Spark.Serverless.IO.InputSplit>>(),
        Actions = [],
    }, T0);

    private static JobState Run(JobState state, params ControlEvent[] events) => Orchestrator.Apply(state, events).State;

    private static JobSubmitted Submitted() => new() { JobId = "j", At = T0 };

    private static CommandsCompleted Completed(long[] ids) => new() { JobId = "j", At = T0, CommandIds = ids };

    private static TaskSucceeded Ok(int stage, int partition, int attempt = 0, int stageAttempt = 0) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = attempt,
        ExecutorId = "e1", CommittedAttemptId = $"{attempt}-abc",
    };

    private static TaskFailed Failed(int stage, int partition, int attempt, int stageAttempt = 0) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = attempt,
        ExecutorId = "e1", Error = new TaskError("System.InvalidOperationException", $"boom {attempt}", null),
    };
}

using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Driver.Tests.Orchestration;

/// <summary>
/// Drives the state machine through long random histories of an at-least-once world: every task message may be
/// delivered twice, reports arrive late and out of order, some attempts fail, some reducers hit fetch failures,
/// executors are lost while holding tasks, and batches of events are applied together. Whatever the history, each
/// task's success must count exactly once.
/// </summary>
[TestClass]
public sealed class OrchestratorSimulationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void RandomHistories_EveryTaskCountsOnceAndTheJobCompletes()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var (state, applied) = Simulate(seed);
            Assert.AreEqual(JobStatus.Completed, state.Status, $"seed {seed}: {state.Error}");
            int tasks = state.Stages.Sum(s => s.Tasks.Count);
            Assert.AreEqual(tasks, state.Accumulators["done"].Long, $"seed {seed}: every task's accumulator counted exactly once");
            Assert.IsTrue(state.Stages.All(s => s.Tasks.All(t => t.Attempts.Count(a => a.Outcome is "succeeded" or "duplicate") >= 1)), $"seed {seed}");
            Assert.IsTrue(applied > tasks, $"seed {seed}: the history held duplicates and stale events ({applied} events for {tasks} tasks)");
        }
    }

    [TestMethod]
    public void ApplyingAnEventAgain_NeverChangesTheStateTwice()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            var state = Orchestrator.Apply(OrchestratorTests.NewJob(), [new JobSubmitted { JobId = "j", At = T0 }]).State;
            foreach (var e in Enumerable.Range(0, 3).Select(p => Succeeded(0, 0, p, 0)).OrderBy(_ => random.Next()))
            {
                var once = Orchestrator.Apply(state, [e]);
                Assert.IsFalse(Orchestrator.Apply(once.State, [e]).Changed, $"seed {seed}: {e}");
                state = once.State;
            }
        }
    }

    /// <summary>One random history to the end; returns the final state and how many events were applied.</summary>
    private static (JobState State, int Applied) Simulate(int seed)
    {
        var random = new Random(seed);
        var state = Orchestrator.Apply(OrchestratorTests.NewJob(maxTaskFailures: 8), [new JobSubmitted { JobId = "j", At = T0 }]).State;
        var inFlight = new List<TaskMessage>();
        var pending = new List<ControlEvent>();
        int applied = 1, fetchFailures = 0;
        for (int step = 0; step < 10_000 && !state.IsTerminal; step++)
        {
            // The shell: carry out the outbox (messages join the world, possibly twice), then report it done.
            if (state.Outbox.Count > 0)
            {
                foreach (var enqueue in state.Outbox.OfType<EnqueueTasks>())
                    foreach (var task in enqueue.Tasks)
                        for (int copies = random.Next(5) == 0 ? 2 : 1; copies > 0; copies--)
                            inFlight.Add(new TaskMessage("j", enqueue.StageId, enqueue.StageAttempt, task.Partition, task.Attempt));
                state = Orchestrator.Apply(state, [new CommandsCompleted { JobId = "j", At = T0, CommandIds = state.Outbox.Select(c => c.Id).ToList() }]).State;
                applied++;
            }
            // Executors: run some message, whose report is held back for a while.
            if (inFlight.Count > 0 && random.Next(3) > 0)
            {
                var message = inFlight[random.Next(inFlight.Count)];
                if (random.Next(4) > 0) inFlight.Remove(message);
                pending.Add(Outcome(message, random, ref fetchFailures));
                if (random.Next(6) == 0) pending.Add(pending[^1]);
            }
            // An executor dies holding a message: the driver hears of it, though the message may still run later.
            if (inFlight.Count > 0 && random.Next(20) == 0)
                pending.Add(new TasksLost { JobId = "j", At = T0, Tasks = [new LostTask(inFlight[random.Next(inFlight.Count)], "dead")] });
            // The driver: a batch of reports, in any order.
            if (pending.Count > 0 && (random.Next(3) == 0 || inFlight.Count == 0))
            {
                var batch = pending.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(pending.Count, 6))).ToList();
                foreach (var e in batch) pending.Remove(e);
                state = Orchestrator.Apply(state, batch).State;
                applied += batch.Count;
            }
        }
        return (state, applied);
    }

    private static ControlEvent Outcome(TaskMessage message, Random random, ref int fetchFailures)
    {
        // Reducers sometimes find a map output gone (a few times per history); any task sometimes fails.
        if (message.StageId == 1 && fetchFailures < 2 && random.Next(15) == 0)
        {
            fetchFailures++;
            return new TaskFailed
            {
                JobId = "j", At = T0, StageId = 1, StageAttempt = message.StageAttempt, Partition = message.Partition, Attempt = message.Attempt, ExecutorId = "e",
                Error = new TaskError("FetchFailedException", "gone", null, "fetch") { FetchStageId = 0, FetchMapPartition = random.Next(3) },
            };
        }
        if (random.Next(8) == 0)
            return new TaskFailed
            {
                JobId = "j", At = T0, StageId = message.StageId, StageAttempt = message.StageAttempt, Partition = message.Partition, Attempt = message.Attempt, ExecutorId = "e",
                Error = new TaskError("IOException", "flaky", null),
            };
        return Succeeded(message.StageId, message.StageAttempt, message.Partition, message.Attempt);
    }

    private static TaskSucceeded Succeeded(int stage, int stageAttempt, int partition, int attempt) => new()
    {
        JobId = "j", At = T0, StageId = stage, StageAttempt = stageAttempt, Partition = partition, Attempt = attempt, ExecutorId = "e",
        CommittedAttemptId = $"{attempt}-x", Accumulators = [new AccumulatorUpdate("done", false, 1, 0)],
    };
}

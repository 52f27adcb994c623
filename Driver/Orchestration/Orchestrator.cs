using System.Globalization;
using System.Text.Json;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>The result of applying events: the new state, the commands it added to the outbox, and whether anything changed.</summary>
/// <param name="State">The new state (a copy; the input state is never changed).</param>
/// <param name="Commands">Commands added to the outbox by these events.</param>
/// <param name="Changed">Whether the state differs from the input.</param>
public sealed record Transition(JobState State, IReadOnlyList<JobCommand> Commands, bool Changed);

/// <summary>
/// The orchestration as a pure function <c>(JobState, events) -> (JobState, commands)</c>: no I/O, no clock, no
/// randomness; time comes in on events. Every event is applied at most once in effect: duplicates, events of a
/// superseded stage attempt, late reports of a retried task attempt, and events of a task that already committed
/// change nothing.
/// </summary>
public static partial class Orchestrator
{
    private const int MaxRetryDelayMs = 30_000;

    /// <summary>The most tasks one message carries.</summary>
    public const int MaxBundleSize = 32;

    /// <summary>Committed tasks of a stage needed before its run times decide its bundle size.</summary>
    private const int MinBundleEvidence = 4;

    /// <summary>Applies events in order to a copy of <paramref name="state"/>.</summary>
    public static Transition Apply(JobState state, IEnumerable<ControlEvent> events)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        var next = Clone(state);
        var run = new Run(next);
        foreach (var e in events)
        {
            if (e.JobId != next.JobId) continue;
            if (run.Apply(e)) next.LastUpdatedAt = Max(next.LastUpdatedAt, e.At);
        }
        run.ReleaseHeld();
        return new Transition(next, run.Commands, run.Changed);
    }

    /// <summary>A deep copy, through the same JSON the state is stored as.</summary>
    public static JobState Clone(JobState state) =>
        JsonSerializer.Deserialize<JobState>(JsonSerializer.SerializeToUtf8Bytes(state, SparkJson.Options), SparkJson.Options)!;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>One application: the state being changed and the commands emitted.</summary>
    private sealed partial class Run(JobState state)
    {
        public List<JobCommand> Commands { get; } = [];

        public bool Changed { get; private set; }

        private JobSettings Settings => state.Settings;

        public bool Apply(ControlEvent e)
        {
            bool changed = e switch
            {
                JobSubmitted s => OnSubmitted(s),
                TaskStarted s => OnTaskStarted(s),
                TaskSucceeded s => OnTaskSucceeded(s),
                TaskFailed f => OnTaskFailed(f),
                Tick t => OnTick(t),
                TasksLost l => OnTasksLost(l),
                CancelRequested c => OnCancel(c),
                CommitFailed c => OnCommitFailed(c),
                CommandsCompleted c => OnCommandsCompleted(c),
                // A bundle's outcomes, each applied as if it had come on its own.
                TaskReports r => r.Events.Where(ev => ev is TaskEvent && ev.JobId == state.JobId).Aggregate(false, (any, ev) => Apply(ev) | any),
                _ => false,
            };
            Changed |= changed;
            return changed;
        }

        private bool OnSubmitted(JobSubmitted e)
        {
            if (state.Status != JobStatus.Pending) return false;
            state.Status = JobStatus.Running;
            state.StartedAt = e.At;
            LaunchReadyStages(e.At);
            if (state.Status == JobStatus.Running) ScheduleTimer(TickInterval, e.At);
            return true;
        }

        private bool OnTaskStarted(TaskStarted e)
        {
            if (FindLiveTask(e) is not var (_, task) || task.Phase != TaskPhase.Queued || task.RunningSince is not null) return false;
            task.RunningSince = e.At;
            return true;
        }

        private bool OnTaskSucceeded(TaskSucceeded e)
        {
            if (FindLiveTask(e) is not var (stage, task)) return false;
            if (task.Phase != TaskPhase.Queued) return false;
            task.Phase = TaskPhase.Succeeded;
            task.CommittedAttemptId = e.CommittedAttemptId;
            task.CommittedStageAttempt = e.StageAttempt;
            task.ExecutorId = e.ExecutorId;
            task.Metrics = e.Metrics;
            task.Attempts.Add(new TaskAttemptRecord(e.Attempt, e.ExecutorId, e.Duplicate ? "duplicate" : "succeeded", null, e.Metrics?.DurationMs));
            // Counted here, where the task turns Succeeded, so each task's values count exactly once.
            task.Accumulators = e.Accumulators?.ToList();
            AddAccumulators(task.Accumulators, +1);
            if (stage.Tasks.All(t => t.Phase == TaskPhase.Succeeded)) CompleteStage(stage, e.At);
            return true;
        }

        private bool OnTaskFailed(TaskFailed e)
        {
            if (FindLiveTask(e) is not var (stage, task) || task.Phase != TaskPhase.Queued) return false;
            if (e.Error.Kind == "fetch" && e.Error.FetchStageId is int mapStageId && mapStageId >= 0 && mapStageId < state.Stages.Count)
            {
                task.Attempts.Add(new TaskAttemptRecord(e.Attempt, e.ExecutorId, "fetchFailed", e.Error, e.Metrics?.DurationMs));
                ResubmitAfterFetchFailure(stage, state.Stages[mapStageId], e.Error, e.At);
                return true;
            }
            // Only the latest attempt's failure counts: a late report from an attempt already retried, or from the
            // original of a speculated task, would count twice.
            if (e.Attempt != task.Attempt) return false;
            task.Failures++;
            task.Attempts.Add(new TaskAttemptRecord(e.Attempt, e.ExecutorId, "failed", e.Error, e.Metrics?.DurationMs));
            if (task.Failures >= state.MaxTaskFailures)
            {
                Emit(new PoisonTask(new TaskMessage(state.JobId, stage.Id, stage.Attempt, task.Partition, e.Attempt), e.Error));
                Finish(JobStatus.Failed, e.At, string.Create(CultureInfo.InvariantCulture,
                    $"Job aborted due to stage failure: Task {task.Partition} in stage {stage.Id}.{stage.Attempt} failed {task.Failures} times, most recent failure: {e.Error}"));
                return true;
            }
            task.Attempt++;
            task.RunningSince = null;
            task.SpeculativeAttempt = null;
            int delay = (int)Math.Min(MaxRetryDelayMs, (long)Settings.RetryBackoffMs << Math.Min(task.Failures - 1, 20));
            Emit(new EnqueueTasks(stage.Id, stage.Attempt, [new TaskRef(task.Partition, task.Attempt)], delay));
            return true;
        }

        /// <summary>
        /// Spark's answer to a fetch failure: the reading stage stops, the lost map partition (only it) is recomputed
        /// from lineage in a new attempt of its stage, and then the reading stage runs again for its unfinished tasks.
        /// </summary>
        private void ResubmitAfterFetchFailure(StageState reader, StageState mapStage, TaskError error, DateTimeOffset at)
        {
            if (reader.Attempt + 1 >= Settings.MaxStageAttempts)
            {
                Finish(JobStatus.Failed, at, string.Create(CultureInfo.InvariantCulture,
                    $"Job aborted: stage {reader.Id} failed {Settings.MaxStageAttempts} times because its input from stage {mapStage.Id} was lost; most recent failure: {error}"));
                return;
            }
            reader.Status = StageStatus.Waiting;
            foreach (var task in reader.Tasks.Where(t => t.Phase != TaskPhase.Succeeded)) Reset(task);
            var lost = error.FetchMapPartition is int p && p >= 0 && p < mapStage.Tasks.Count ? [mapStage.Tasks[p]] : mapStage.Tasks;
            foreach (var task in lost)
            {
                // The lost output's accumulator values go out with it; the recomputation adds them again.
                AddAccumulators(task.Accumulators, -1);
                task.Accumulators = null;
                Reset(task);
            }
            mapStage.Status = StageStatus.Waiting;
            // Undone commands of the stopped stage attempt would only produce stale work.
            state.Outbox.RemoveAll(c => c is EnqueueTasks q && q.StageId == reader.Id && q.StageAttempt == reader.Attempt);
            Commands.RemoveAll(c => c is EnqueueTasks q && q.StageId == reader.Id && q.StageAttempt == reader.Attempt);
            LaunchReadyStages(at);
        }

        private bool OnTick(Tick e)
        {
            if (state.IsTerminal)
            {
                // Only the cleanup timer itself: a running-time tick still in flight would clean up too early.
                if (state.CleanedUp || e.Seq != state.TickSeq) return false;
                // The second cleanup catches what tasks still running at the end wrote after the first.
                state.CleanedUp = true;
                Emit(new CleanUpJob());
                return true;
            }
            if (state.Status != JobStatus.Running) return false;
            if (Settings.Speculation) Speculate(e.At);
            Emit(new FindLostTasks());
            // The current timer's tick continues the chain. A stale one (its ScheduleTick ran twice after a crash) ends
            // its copy of the chain; a sweep's tick restarts the chain only when it is overdue (its message was lost).
            bool current = e.Seq == state.TickSeq;
            bool overdue = e.Seq is null && (state.TickDueAt is not { } due || e.At > due.AddMilliseconds(TickInterval) + SweepGrace);
            if (current || overdue) ScheduleTimer(TickInterval, e.At);
            return true;
        }

        /// <summary>Orders the job's next timer tick; a later one replaces it as the current timer.</summary>
        private void ScheduleTimer(int delayMs, DateTimeOffset now)
        {
            state.TickSeq++;
            state.TickDueAt = now.AddMilliseconds(delayMs);
            Emit(new ScheduleTick(delayMs, state.TickSeq));
        }

        /// <summary>How late past its due time a timer may be before a sweep restarts it.</summary>
        private static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(30);

        /// <summary>How often the job's durable timer fires while it runs: for lost tasks, and for stragglers when speculating.</summary>
        private int TickInterval => Settings.Speculation ? Math.Min(Settings.SpeculationIntervalMs, Settings.LostTaskCheckMs) : Settings.LostTaskCheckMs;

        /// <summary>
        /// A lost executor's tasks run again as new attempts; that is not their fault, so it does not count as a
        /// failure (the lease of their old messages would bring them back too, only later).
        /// </summary>
        private bool OnTasksLost(TasksLost e)
        {
            bool changed = false;
            foreach (var (message, executorId) in e.Tasks)
            {
                if (message.JobId != state.JobId || state.Status != JobStatus.Running) continue;
                if (message.StageId < 0 || message.StageId >= state.Stages.Count) continue;
                var stage = state.Stages[message.StageId];
                if (stage.Status != StageStatus.Running || stage.Attempt != message.StageAttempt || message.Partition >= stage.Tasks.Count) continue;
                var task = stage.Tasks[message.Partition];
                if (task.Phase != TaskPhase.Queued || task.Attempt != message.Attempt) continue;
                task.Attempts.Add(new TaskAttemptRecord(message.Attempt, executorId, "lost",
                    new TaskError("ExecutorLost", $"Executor {executorId} died or stopped heartbeating while running the task.", null, "lost"), null));
                task.Attempt++;
                task.RunningSince = null;
                task.SpeculativeAttempt = null;
                Emit(new EnqueueTasks(stage.Id, stage.Attempt, [new TaskRef(task.Partition, task.Attempt)]));
                changed = true;
            }
            return changed;
        }

        private bool OnCancel(CancelRequested e)
        {
            // Once the job commit has begun a cancel is too late, as in Spark: the commit is the point of no return.
            // Aborting then would delete the attempt files the commit is copying and leave its output half-written.
            if (state.IsTerminal || state.Committing) return false;
            Finish(JobStatus.Canceled, e.At, "Canceled on request.");
            return true;
        }

        private bool OnCommitFailed(CommitFailed e)
        {
            if (state.Status != JobStatus.Running || !state.Committing) return false;
            Finish(JobStatus.Failed, e.At, e.Reason);
            return true;
        }

        private bool OnCommandsCompleted(CommandsCompleted e)
        {
            var done = e.CommandIds.ToHashSet();
            var finished = state.Outbox.Where(c => done.Contains(c.Id)).ToList();
            if (finished.Count == 0) return false;
            state.Outbox.RemoveAll(c => done.Contains(c.Id));
            if (finished.OfType<CommitJob>().Any() && state.Status == JobStatus.Running && state.Committing)
            {
                state.Status = JobStatus.Completed;
                state.Committing = false;
                state.CompletedAt = e.At;
                // The temporary files go once the completion is saved: in the 1 GB Q1 their deletion took 61 ms of
                // the commit, and a client waiting on a small job would wait on it too.
                Emit(new CleanUpJob());
                ScheduleTimer(Settings.CleanupDelayMs, e.At);
            }
            return true;
        }

        /// <summary>The stage and task an event speaks of, if the job is running and the event is of the current stage attempt.</summary>
        private (StageState Stage, TaskState Task)? FindLiveTask(TaskEvent e)
        {
            if (state.Status != JobStatus.Running) return null;
            if (e.StageId < 0 || e.StageId >= state.Stages.Count) return null;
            var stage = state.Stages[e.StageId];
            if (stage.Status != StageStatus.Running || stage.Attempt != e.StageAttempt) return null;
            if (e.Partition < 0 || e.Partition >= stage.Tasks.Count) return null;
            return (stage, stage.Tasks[e.Partition]);
        }

        private void CompleteStage(StageState stage, DateTimeOffset at)
        {
            stage.Status = StageStatus.Succeeded;
            stage.CompletedAt = at;
            if (stage.Kind != StageKind.Result) Emit(new PublishMapOutputs(stage.Id));
            LaunchReadyStages(at);
        }

        /// <summary>
        /// Starts every waiting stage whose parents all succeeded, running only its unfinished tasks (a resubmitted stage
        /// keeps what it already committed); a stage with nothing to run succeeds at once.
        /// </summary>
        private void LaunchReadyStages(DateTimeOffset at)
        {
            bool launched;
            do
            {
                launched = false;
                foreach (var stage in state.Stages.Where(s => s.Status == StageStatus.Waiting).ToList())
                {
                    if (!stage.Parents.All(p => state.Stages[p].Status == StageStatus.Succeeded)) continue;
                    launched = true;
                    if (stage.StartedAt is not null) stage.Attempt++;
                    stage.Status = StageStatus.Running;
                    stage.StartedAt ??= at;
                    var pending = stage.Tasks.Where(t => t.Phase != TaskPhase.Succeeded).ToList();
                    if (pending.Count == 0)
                    {
                        CompleteStageWithoutTasks(stage, at);
                        continue;
                    }
                    foreach (var task in pending)
                    {
                        if (task.Attempts.Count > 0 || task.Phase == TaskPhase.Queued) task.Attempt++;
                        task.Phase = TaskPhase.Queued;
                        // Sent by ReleaseHeld as room allows, after every batch of events.
                        task.Held = true;
                    }
                }
            }
            while (launched);

            if (state.Status == JobStatus.Running && !state.Committing && state.Stages.All(s => s.Status == StageStatus.Succeeded))
            {
                state.Committing = true;
                Emit(new CommitJob());
            }
        }

        private void CompleteStageWithoutTasks(StageState stage, DateTimeOffset at)
        {
            stage.Status = StageStatus.Succeeded;
            stage.CompletedAt = at;
            if (stage.Kind != StageKind.Result) Emit(new PublishMapOutputs(stage.Id));
        }

        private void AddAccumulators(IEnumerable<AccumulatorUpdate>? updates, int sign)
        {
            foreach (var update in updates ?? [])
            {
                var total = state.Accumulators.GetValueOrDefault(update.Name) ?? new AccumulatorTotal(update.IsDouble, 0, 0);
                state.Accumulators[update.Name] = total with { Long = total.Long + sign * update.Long, Double = total.Double + sign * update.Double };
            }
        }

        /// <summary>
        /// Sends held tasks while the job has fewer than <see cref="JobSettings.MaxQueuedTasks"/> messages out,
        /// earliest stage and partition first.
        /// </summary>
        public void ReleaseHeld()
        {
            if (state.Status != JobStatus.Running) return;
            // The window counts messages: a bundle is one message on the queue and holds one slot. Tasks out are
            // counted at the stage's present bundle size, so when bundling starts the singles sent before it count as
            // fewer messages than they are: once per stage the queue may hold up to twice the window.
            var running = state.Stages.Where(s => s.Status == StageStatus.Running).Select(s => (Stage: s, Bundle: BundleSize(s))).ToList();
            int room = Settings.MaxQueuedTasks - running.Sum(s => Messages(s.Stage.Tasks.Count(t => t.Phase == TaskPhase.Queued && !t.Held), s.Bundle));
            foreach (var (stage, bundle) in running)
            {
                if (room <= 0) return;
                var release = stage.Tasks.Where(t => t.Phase == TaskPhase.Queued && t.Held).Take(room * bundle).ToList();
                if (release.Count == 0) continue;
                foreach (var task in release) task.Held = false;
                room -= Messages(release.Count, bundle);
                Emit(new EnqueueTasks(stage.Id, stage.Attempt, release.Select(t => new TaskRef(t.Partition, t.Attempt)).ToList(), BundleSize: bundle));
                Changed = true;
            }
        }

        private static int Messages(int tasks, int bundle) => (tasks + bundle - 1) / bundle;

        /// <summary>
        /// Tasks per message for a stage: one, until the stage's committed tasks show that they run for a few
        /// milliseconds, where the messaging around a task (send, receive, delete, report) costs more than the task.
        /// Then as many as make about <see cref="JobSettings.TaskBundleMs"/> of work, at most <see cref="MaxBundleSize"/>:
        /// a bundle runs in one slot, so that is about the most it can hold back the stage's end.
        /// </summary>
        private int BundleSize(StageState stage)
        {
            if (Settings.TaskBundleMs <= 0) return 1;
            var durations = stage.Tasks.Where(t => t.Phase == TaskPhase.Succeeded && t.Metrics is not null).Select(t => t.Metrics!.DurationMs).Order().ToList();
            if (durations.Count < MinBundleEvidence) return 1;
            double median = durations[durations.Count / 2];
            return (int)Math.Clamp(Settings.TaskBundleMs / Math.Max(1.0, median), 1, MaxBundleSize);
        }

        private static void Reset(TaskState task)
        {
            task.Held = false;
            task.Phase = TaskPhase.Pending;
            task.CommittedAttemptId = null;
            task.RunningSince = null;
            task.SpeculativeAttempt = null;
        }

        private void Finish(JobStatus status, DateTimeOffset at, string error)
        {
            state.Status = status;
            state.CompletedAt = at;
            state.Error = error;
            state.Committing = false;
            // Undone task and stage commands are moot now; the abort cleans up whatever they left.
            state.Outbox.RemoveAll(c => c is EnqueueTasks or PublishMapOutputs or ScheduleTick);
            Commands.RemoveAll(c => c is EnqueueTasks or PublishMapOutputs or ScheduleTick);
            Emit(new CleanUpJob());
            ScheduleTimer(Settings.CleanupDelayMs, at);
        }

        private void Emit(JobCommand command)
        {
            var numbered = command with { Id = state.NextCommandId++ };
            state.Outbox.Add(numbered);
            Commands.Add(numbered);
        }
    }
}

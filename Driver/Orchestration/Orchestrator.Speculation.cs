namespace Spark.Serverless.Driver.Orchestration;

public static partial class Orchestrator
{
    private sealed partial class Run
    {
        /// <summary>
        /// Spark's speculation: once <c>quantile</c> of a stage's tasks are done, a task still running longer than
        /// <c>multiplier</c> times the median duration of the done ones (and at least <c>minTaskRuntime</c>) gets one
        /// copy. Whichever copy commits first wins; the other's output is discarded by the commit protocol.
        /// </summary>
        private void Speculate(DateTimeOffset now)
        {
            foreach (var stage in state.Stages.Where(s => s.Status == StageStatus.Running && s.Tasks.Count > 1))
            {
                var durations = stage.Tasks.Where(t => t.Phase == TaskPhase.Succeeded && t.Metrics is not null)
                    .Select(t => t.Metrics!.DurationMs).Order().ToList();
                if (durations.Count < Math.Ceiling(Settings.SpeculationQuantile * stage.Tasks.Count)) continue;
                double median = durations[durations.Count / 2];
                double threshold = Math.Max(Settings.SpeculationMultiplier * median, Settings.SpeculationMinRuntimeMs);
                var stragglers = stage.Tasks.Where(t => t.Phase == TaskPhase.Queued && t.SpeculativeAttempt is null
                    && t.RunningSince is { } since && (now - since).TotalMilliseconds > threshold).ToList();
                foreach (var task in stragglers)
                {
                    task.Attempt++;
                    task.SpeculativeAttempt = task.Attempt;
                    Emit(new EnqueueTasks(stage.Id, stage.Attempt, [new TaskRef(task.Partition, task.Attempt)]));
                }
            }
        }
    }
}

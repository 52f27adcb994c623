using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Execution;
using Spark.Serverless.Loading;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// Runs one task attempt and commits it exactly once: output goes to attempt-scoped names, then the commit marker
/// is created with If-None-Match:*. The first committer wins; a loser deletes its files and reports the winner.
/// Independent of how the task arrived (queue receive here, a Functions invocation elsewhere).
/// </summary>
internal sealed class TaskRunner(SparkStorage storage, JobRuntimeCache runtimes, IOptions<ExecutorOptions> options, TimeProvider time, ILogger<TaskRunner> logger)
{
    /// <summary>Runs the task and returns the event to report.</summary>
    /// <param name="task">The task message.</param>
    /// <param name="dequeueCount">How often the queue has delivered this message (1 the first time).</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    public async Task<TaskEvent> RunAsync(TaskMessage task, long dequeueCount, CancellationToken cancellationToken)
    {
        string executorId = options.Value.Id;
        if (runtimes.KnownEnded(task.JobId) is { } ended)
        {
            // Messages left on the queue by a canceled or failed job drain without running anything.
            Logs.TaskSkipped(logger, task.ToString(), ended);
            return TaskEvents.Failed(task, executorId, time.GetUtcNow(), new TaskError("JobEnded", $"The task's job ended ({ended}) before the task ran.", null, "canceled"), null);
        }
        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var marker = storage.Container.GetBlobClient(StorageLayout.CommitMarker(task.JobId, task.StageId, task.StageAttempt, task.Partition));

        // A redelivered task whose marker exists is done: report the winner without recomputing. A first delivery of
        // a first attempt almost never finds one, so it skips the look (a request per task); if another copy did
        // commit, our marker create loses and reports that winner all the same.
        bool mayBeCommitted = dequeueCount > 1 || task.Attempt > 0;
        if (mayBeCommitted && await TryReadMarkerAsync(marker, cancellationToken).ConfigureAwait(false) is { } committed)
        {
            Logs.AlreadyCommitted(logger, task.ToString(), committed.AttemptId);
            return Succeeded(task, executorId, committed, duplicate: committed.Attempt != task.Attempt, null);
        }

        string attemptId = $"{task.Attempt}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        Logging.TaskLogBuffer.Current?.AttemptId = attemptId;
        using var attemptScope = logger.BeginScope(new Dictionary<string, object> { ["AttemptId"] = attemptId });
        TaskContext? context = null;
        Logs.TaskStarted(logger, task.ToString(), attemptId);
        try
        {
            var runtime = await runtimes.GetAsync(task.JobId, cancellationToken).ConfigureAwait(false);
            var stage = runtime.Plan.Stages[task.StageId];
            if (runtime.Plan.Settings.Speculation)
            {
                // Speculation needs each task's run time; only jobs that use it pay for the extra event.
                var started = new TaskStarted { JobId = task.JobId, At = startedAt, StageId = task.StageId, StageAttempt = task.StageAttempt, Partition = task.Partition, Attempt = task.Attempt, ExecutorId = executorId };
                await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(started), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            context = new TaskContext(storage, runtime.Plan, task, attemptId, executorId, runtime.Environment, cancellationToken);
            var node = runtime.Nodes[stage.NodeId];
            var ctx = context;
            // User code is synchronous and may run long: give it its own thread rather than a pool thread.
            var output = await Task.Factory.StartNew(
                () => ctx.RunAsCurrent(() => stage.Kind switch
                {
                    StageKind.ShuffleMap => ((IShuffleMapTask)node).RunMapTask(ctx, task.Partition),
                    StageKind.Sample => ((IShuffleMapTask)node).RunSampleTask(ctx, task.Partition),
                    _ => ((IResultTask)node).RunResultTask(ctx, task.Partition),
                }),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);

            var metrics = context.CollectMetrics(startedAt, clock.Elapsed);
            var ours = new CommitMarker
            {
                AttemptId = attemptId,
                Attempt = task.Attempt,
                StageAttempt = task.StageAttempt,
                ExecutorId = executorId,
                CommittedAt = time.GetUtcNow(),
                Files = output.Files,
                PartitionOffsets = output.PartitionOffsets,
                Records = output.Records,
                Bytes = output.Bytes,
                Accumulators = context.AccumulatorUpdates,
            };
            if (await TryCreateMarkerAsync(marker, ours, cancellationToken).ConfigureAwait(false))
            {
                Logs.TaskCommitted(logger, task.ToString(), attemptId, output.Records, clock.ElapsedMilliseconds);
                return Succeeded(task, executorId, ours, duplicate: false, metrics);
            }
            var winner = await TryReadMarkerAsync(marker, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The commit marker refused our create but cannot be read.");
            await DeleteAsync(output.Files, cancellationToken).ConfigureAwait(false);
            Logs.LostCommitRace(logger, task.ToString(), attemptId, winner.AttemptId);
            return Succeeded(task, executorId, winner, duplicate: true, metrics);
        }
        catch (Exception e)
        {
            var error = Describe(e);
            Logs.TaskFailed(logger, task.ToString(), attemptId, error.ToString());
            return TaskEvents.Failed(task, executorId, time.GetUtcNow(), error, context?.CollectMetrics(startedAt, clock.Elapsed));
        }
    }

    private TaskSucceeded Succeeded(TaskMessage task, string executorId, CommitMarker marker, bool duplicate, TaskMetrics? metrics) =>
        TaskEvents.Succeeded(task, executorId, time.GetUtcNow(), marker.AttemptId, duplicate, metrics, marker.Accumulators);

    /// <summary>The failure as the user should see it: the user's exception, not the reflection or task wrappers around it.</summary>
    internal static TaskError Describe(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException!;
        string kind = e switch
        {
            FetchFailedException => "fetch",
            OperationCanceledException => "canceled",
            PlanMismatchException or JobLoadException or RequestFailedException => "platform",
            _ => "user",
        };
        var fetch = e as FetchFailedException;
        return new TaskError(e.GetType().FullName ?? e.GetType().Name, e.Message, UserFramesFirst(e.StackTrace), kind)
        {
            FetchStageId = fetch?.ShuffleStageId,
            FetchMapPartition = fetch?.MapPartition,
        };
    }

    /// <summary>
    /// The stack with the user's frames first and the engine's after a marker line, as Spark shows a task failure:
    /// the frames that say what went wrong are the user's own.
    /// </summary>
    internal static string? UserFramesFirst(string? stackTrace)
    {
        if (string.IsNullOrEmpty(stackTrace)) return stackTrace;
        var lines = stackTrace.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var user = lines.Where(l => !IsEngineFrame(l)).ToList();
        var engine = lines.Where(IsEngineFrame).ToList();
        if (user.Count == 0 || engine.Count == 0) return string.Join('\n', lines);
        return string.Join('\n', user.Append("   --- Spark.Serverless frames ---").Concat(engine));
    }

    private static bool IsEngineFrame(string frame) =>
        EngineNamespaces.Any(ns => frame.Contains(ns, StringComparison.Ordinal));

    private static readonly string[] EngineNamespaces =
    [
        " Spark.Serverless.Nodes.", " Spark.Serverless.Execution.", " Spark.Serverless.Shuffle.", " Spark.Serverless.Executor.",
        " Spark.Serverless.Planning.", " Spark.Serverless.IO.", " Spark.Serverless.Serialization.", " Spark.Serverless.PairDataset",
        " Spark.Serverless.Dataset`", " System.Linq.", " System.Threading.", " System.Runtime.", " System.Collections.",
    ];

    private static async Task<CommitMarker?> TryReadMarkerAsync(Azure.Storage.Blobs.BlobClient marker, CancellationToken cancellationToken)
    {
        try
        {
            var content = await marker.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return SparkJson.FromBinary<CommitMarker>(content.Value.Content);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task<bool> TryCreateMarkerAsync(Azure.Storage.Blobs.BlobClient marker, CommitMarker content, CancellationToken cancellationToken)
    {
        try
        {
            var conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
            var json = SparkJson.ToBinary(content);
            await marker.UploadAsync(json, new BlobUploadOptions { Conditions = conditions, Metadata = CommitMarker.Metadata(json) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task DeleteAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
            await storage.Container.DeleteBlobIfExistsAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

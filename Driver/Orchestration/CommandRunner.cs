using Azure.Storage.Blobs.Models;
using Spark.Serverless.Cluster;
using Spark.Serverless.Driver.Commit;
using Microsoft.Extensions.Options;
using Spark.Serverless.Messaging;
using Spark.Serverless.Resilience;
using Spark.Serverless.Planning;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>Carries out outbox commands. Each is idempotent: running one twice leaves the same result as once.</summary>
public sealed class CommandRunner(SparkStorage storage, JobStore store, CommitMarkers commitMarkers, JobCommitter committer, ExecutorRegistry registry, IOptions<DriverOptions> options, TimeProvider time, ILogger<CommandRunner> logger)
{
    private const int Parallelism = 16;

    /// <summary>Carries out one command of a job, retrying transient storage failures.</summary>
    /// <returns>
    /// Events the outcome calls for (a commit that could not finish), to apply with the command's completion; or
    /// null when another driver is carrying out the command now (the job commit), so it is not done yet.
    /// </returns>
    public async Task<IReadOnlyList<ControlEvent>?> RunAsync(JobState state, JobCommand command, CancellationToken cancellationToken) =>
        await Retries.Storage.ExecuteAsync(async ct => await RunOnceAsync(state, command, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<ControlEvent>?> RunOnceAsync(JobState state, JobCommand command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case EnqueueTasks enqueue:
                await EnqueueAsync(state.JobId, enqueue, cancellationToken).ConfigureAwait(false);
                return [];
            case PublishMapOutputs publish:
                await PublishMapOutputsAsync(state, publish.StageId, cancellationToken).ConfigureAwait(false);
                return [];
            case ScheduleTick tick:
                // The tick's time is when it fires: speculation measures running times against it.
                await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(new Tick { JobId = state.JobId, At = time.GetUtcNow().AddMilliseconds(tick.DelayMs), Seq = tick.Seq }),
                    visibilityTimeout: TimeSpan.FromMilliseconds(tick.DelayMs), cancellationToken: cancellationToken).ConfigureAwait(false);
                return [];
            case CommitJob:
                return await CommitAsync(state, cancellationToken).ConfigureAwait(false);
            case FindLostTasks:
                return await FindLostTasksAsync(state.JobId, cancellationToken).ConfigureAwait(false);
            case PoisonTask poison:
                await storage.Poison.SendMessageAsync(SparkJson.ToBinary(new { task = poison.Task, error = poison.Error }), cancellationToken: cancellationToken).ConfigureAwait(false);
                return [];
            case CleanUpJob:
                if (options.Value.KillBeforeCleanup)
                    TestSwitches.KillThisDriver($"Job {state.JobId}: Driver:KillBeforeCleanup is set; killing this driver before it deletes the job's temporary files");
                await DeleteTemporaryFilesAsync(state.JobId, cancellationToken).ConfigureAwait(false);
                return [];
            default:
                throw new InvalidOperationException($"Unknown command {command.GetType().Name}.");
        }
    }

    /// <summary>The job commit, by one driver at a time; null when another holds the commit lease.</summary>
    private async Task<IReadOnlyList<ControlEvent>?> CommitAsync(JobState state, CancellationToken cancellationToken)
    {
        await using var lease = await CommitLease.TryAcquireAsync(storage.Container, state.JobId, time, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            Logs.CommitElsewhere(logger, state.JobId);
            return null;
        }
        // The driver that held the lease before may have finished the commit (and deleted the attempt files it reads)
        // after this driver loaded its state: the results file, written last, says so.
        if (await committer.IsCommittedAsync(state.JobId, cancellationToken).ConfigureAwait(false)) return [];
        using var commit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        string? failure = await committer.CommitAsync(state, commit.Token).ConfigureAwait(false);
        return failure is null ? [] : [new CommitFailed { JobId = state.JobId, At = time.GetUtcNow(), Reason = failure }];
    }

    private async Task EnqueueAsync(string jobId, EnqueueTasks command, CancellationToken cancellationToken)
    {
        var delay = command.DelayMs > 0 ? TimeSpan.FromMilliseconds(command.DelayMs) : (TimeSpan?)null;
        int copies = options.Value.DuplicateTaskMessages ? 2 : 1;
        var sends = command.Tasks.Chunk(Math.Max(1, command.BundleSize)).SelectMany(bundle => Enumerable.Repeat(bundle, copies));
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (bundle, ct) =>
        {
            var enqueuedAt = time.GetUtcNow() + (delay ?? TimeSpan.Zero);
            var messages = bundle.Select(task => new TaskMessage(jobId, command.StageId, command.StageAttempt, task.Partition, task.Attempt) { EnqueuedAt = enqueuedAt }).ToList();
            await storage.Tasks.SendMessageAsync(TaskBundle.Write(messages), visibilityTimeout: delay, cancellationToken: ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        Logs.TasksEnqueued(logger, jobId, command.StageId, command.Tasks.Count);
    }

    private async Task PublishMapOutputsAsync(JobState state, int stageId, CancellationToken cancellationToken)
    {
        string jobId = state.JobId;
        var plan = await store.GetPlanAsync(jobId, cancellationToken).ConfigureAwait(false);
        var stage = plan.Stages[stageId];
        var markers = await commitMarkers.ReadAsync(jobId, state.Stages[stageId], cancellationToken).ConfigureAwait(false);
        var outputs = new MapOutputs
        {
            StageId = stageId,
            NumReducePartitions = stage.Kind == StageKind.ShuffleMap ? plan.Nodes[stage.NodeId].NumPartitions : 1,
            Outputs = markers.Select((m, p) => new MapOutput(p, m.AttemptId, m.Files[0], m.PartitionOffsets
                ?? throw new InvalidOperationException($"Commit marker of map task {p} in stage {stageId} has no partition offsets."), m.Records)).ToList(),
        };
        await storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, stageId))
            .UploadAsync(SparkJson.ToBinary(outputs), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job's tasks that were running on executors that are now gone (stopped heartbeating or marked lost).</summary>
    private async Task<IReadOnlyList<ControlEvent>> FindLostTasksAsync(string jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(storage.Options.ExecutorHeartbeatTimeoutSeconds);
        var lost = (await registry.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Where(b => b.Heartbeat.IsGone(now, timeout))
            .SelectMany(b => b.Heartbeat.Running.Where(t => t.JobId == jobId).Select(t => new LostTask(t, b.Heartbeat.ExecutorId)))
            .ToList();
        return lost.Count == 0 ? [] : [new TasksLost { JobId = jobId, At = now, Tasks = lost }];
    }

    /// <summary>Deletes the job's shuffle files and uncommitted result parts.</summary>
    private async Task DeleteTemporaryFilesAsync(string jobId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var prefix in StorageLayout.TemporaryPrefixes(jobId))
            await foreach (var blob in storage.Container.GetBlobsAsync(prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
                names.Add(blob.Name);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (name, ct) =>
            await storage.Container.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        Logs.TemporaryFilesDeleted(logger, jobId, names.Count);
    }
}

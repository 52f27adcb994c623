using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Cluster;
using Spark.Serverless.Manager.Launching;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Manager.Scaling;

/// <summary>
/// The manager's loop: read the task queue's depth and the pool's heartbeats, let the <see cref="ScaleRule"/> decide,
/// start or SIGTERM executor processes, and record the decision. It also notices executors that died (process gone)
/// or went silent (no heartbeat for <c>Spark:ExecutorHeartbeatTimeoutSeconds</c>) and marks them lost, so drivers
/// rerun their tasks at once instead of waiting for the tasks' leases to run out.
/// </summary>
internal sealed class ScaleController(SparkStorage storage, ExecutorRegistry registry, ScaleHistory history, IOptions<ManagerOptions> options, TimeProvider time, ILogger<ScaleController> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneAfter = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, ExecutorProcess> _pool = [];
    private ScaleState _state = ScaleState.Initial;
    private int _started;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        string path = o.ResolveExecutorPath();
        Logs.ManagerStarting(logger, o.Id, o.MinExecutors, o.MaxExecutors, path);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PollAsync(path, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Logs.PollFailed(logger, e);
                }
                await Task.Delay(o.PollIntervalMs, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync(TimeSpan.FromSeconds(o.StopTimeoutSeconds)).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(string path, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        int depth = (await storage.Tasks.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        int visible = depth == 0 ? 0 : (await storage.Tasks.PeekMessagesAsync(ScaleRule.PeekLimit, cancellationToken).ConfigureAwait(false)).Value.Length;
        var timeout = TimeSpan.FromSeconds(storage.Options.ExecutorHeartbeatTimeoutSeconds);
        var all = await registry.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        // Every live executor's tasks hold queue messages that need no new slot, whoever started the executor.
        int running = all.Where(b => !b.Heartbeat.IsGone(now, timeout)).Sum(b => b.Heartbeat.Running.Count);
        var beats = all.Where(b => b.Heartbeat.ManagerId == o.Id).ToDictionary(b => b.Heartbeat.ExecutorId);
        var lost = await ReapAsync(beats, now, cancellationToken).ConfigureAwait(false);
        await PruneAsync(all, now, cancellationToken).ConfigureAwait(false);

        var views = _pool.Values.Select(p => beats.TryGetValue(p.ExecutorId, out var b) && b.Heartbeat.Status is ExecutorStatus.Alive or ExecutorStatus.Draining
            ? new ExecutorView(p.ExecutorId, false, b.Heartbeat.Running.Count, b.Heartbeat.IdleSince, p.Stopping || b.Heartbeat.Status == ExecutorStatus.Draining)
            : new ExecutorView(p.ExecutorId, true, 0, null, p.Stopping)).ToList();
        var decision = ScaleRule.Decide(_state, new ScaleInputs(now, depth, running, views) { VisibleMessages = visible }, o.Knobs);
        _state = decision.State;

        for (int i = 0; i < decision.Start; i++)
        {
            string id = $"{o.Id}-e{++_started}";
            var executor = ExecutorProcess.Start(path, id, o.Id, o.SlotsPerExecutor);
            _pool[id] = executor;
            Logs.ExecutorStarted(logger, id, executor.ProcessId, decision.Reason);
        }
        foreach (var id in decision.Stop)
        {
            Logs.ExecutorStopping(logger, id, decision.Reason);
            // Not awaited: the executor drains in its own time; the next polls see it go.
            _ = _pool[id].StopAsync(TimeSpan.FromSeconds(o.StopTimeoutSeconds));
        }

        var active = views.Where(v => !v.Draining).ToList();
        await history.RecordAsync(new ScaleRecord(now, o.Id, depth, visible, running, decision.Pending, active.Count + decision.Start - decision.Stop.Count,
            active.Count(v => v.Starting) + decision.Start, active.Count(v => !v.Starting && v.Running == 0), decision.Needed,
            decision.Start, decision.Stop, lost, decision.Reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets executors that exited (cleanly: their heartbeat goes; otherwise: marked lost) and kills silent ones.</summary>
    private async Task<List<string>> ReapAsync(Dictionary<string, (ExecutorHeartbeat Heartbeat, Azure.ETag ETag)> beats, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(storage.Options.ExecutorHeartbeatTimeoutSeconds);
        var lost = new List<string>();
        foreach (var executor in _pool.Values.ToList())
        {
            bool hasBeat = beats.TryGetValue(executor.ExecutorId, out var beat);
            bool silent = !executor.HasExited && (hasBeat ? now - beat.Heartbeat.LastSeen > timeout : now - executor.StartedAt > timeout);
            if (silent)
            {
                Logs.ExecutorSilent(logger, executor.ExecutorId, executor.ProcessId);
                executor.Kill();
            }
            if (!executor.HasExited) continue;
            _pool.Remove(executor.ExecutorId);
            executor.Dispose();
            if (hasBeat && beat.Heartbeat.Status == ExecutorStatus.Stopped)
            {
                await registry.RemoveAsync(executor.ExecutorId, cancellationToken).ConfigureAwait(false);
                continue;
            }
            lost.Add(executor.ExecutorId);
            Logs.ExecutorLost(logger, executor.ExecutorId, beat.Heartbeat?.Running.Count ?? 0);
            if (hasBeat) await registry.TryMarkLostAsync(beat.Heartbeat!, beat.ETag, cancellationToken).ConfigureAwait(false);
        }
        return lost;
    }

    /// <summary>
    /// Removes heartbeats of executors gone for a while, whoever started them (a Functions or KEDA host never
    /// cleans up), so the registry does not grow without end. The delay lets drivers see the loss first.
    /// </summary>
    private async Task PruneAsync(IReadOnlyList<(ExecutorHeartbeat Heartbeat, Azure.ETag ETag)> all, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (heartbeat, _) in all.Where(b => now - b.Heartbeat.LastSeen > PruneAfter))
            await registry.RemoveAsync(heartbeat.ExecutorId, cancellationToken).ConfigureAwait(false);
    }

    private async Task StopAllAsync(TimeSpan timeout)
    {
        await Task.WhenAll(_pool.Values.Select(async e =>
        {
            await e.StopAsync(timeout).ConfigureAwait(false);
            Logs.ExecutorStopped(logger, e.ExecutorId, e.ProcessId);
            e.Dispose();
        })).ConfigureAwait(false);
        _pool.Clear();
    }
}

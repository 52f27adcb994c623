using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Cluster;

namespace Spark.Serverless.Executor.Cluster;

/// <summary>
/// Writes <c>executors/{id}.json</c> every <see cref="ExecutorOptions.HeartbeatIntervalSeconds"/>: alive while
/// running, draining once told to stop (SIGTERM), stopped when it exits. A process that dies without a word is found
/// out by its silence.
/// </summary>
internal sealed class HeartbeatService(ExecutorRegistry registry, RunningTasks running, IOptions<ExecutorOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private volatile bool _draining;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(() => _draining = true);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds));
        do
        {
            await BeatAsync(_draining ? ExecutorStatus.Draining : ExecutorStatus.Alive, stoppingToken).ConfigureAwait(false);
        }
        while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // The other services drained first (they were registered first and stop last): this is the final word.
        await BeatAsync(ExecutorStatus.Stopped, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task BeatAsync(ExecutorStatus status, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var heartbeat = new ExecutorHeartbeat
        {
            ExecutorId = o.Id,
            ManagerId = o.ManagerId,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            Slots = o.Slots,
            Running = running.Snapshot,
            IdleSince = running.IdleSince,
            StartedAt = _startedAt,
            LastSeen = time.GetUtcNow(),
            Status = status,
            TasksFinished = running.Finished,
        };
        try
        {
            await registry.WriteAsync(heartbeat, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missed beat is survivable; silence only counts after the heartbeat timeout.
            Logs.HeartbeatFailed(logger, e);
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

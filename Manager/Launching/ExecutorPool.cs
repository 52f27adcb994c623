using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spark.Serverless.Manager.Launching;

/// <summary>
/// Keeps <see cref="ManagerOptions.Executors"/> executor processes running, replacing any that exit, and on
/// shutdown stops them all with SIGTERM so they drain.
/// </summary>
internal sealed class ExecutorPool(IOptions<ManagerOptions> options, ILogger<ExecutorPool> logger) : BackgroundService
{
    private readonly List<ExecutorProcess> _executors = [];
    private int _started;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        string path = o.ResolveExecutorPath();
        Logs.PoolStarting(logger, o.Id, o.Executors, path);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var exited in _executors.Where(e => e.HasExited).ToList())
                {
                    Logs.ExecutorExited(logger, exited.ExecutorId, exited.ProcessId);
                    _executors.Remove(exited);
                    exited.Dispose();
                }
                while (_executors.Count < o.Executors)
                {
                    string id = $"{o.Id}-e{++_started}";
                    var executor = ExecutorProcess.Start(path, id);
                    _executors.Add(executor);
                    Logs.ExecutorStarted(logger, id, executor.ProcessId);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
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

    private async Task StopAllAsync(TimeSpan timeout)
    {
        await Task.WhenAll(_executors.Select(async e =>
        {
            await e.StopAsync(timeout).ConfigureAwait(false);
            Logs.ExecutorStopped(logger, e.ExecutorId, e.ProcessId);
            e.Dispose();
        })).ConfigureAwait(false);
        _executors.Clear();
    }
}

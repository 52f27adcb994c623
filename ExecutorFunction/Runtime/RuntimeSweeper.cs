using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>
/// Housekeeping of the executor's local state: empties its spill folder at start and stop, and periodically unloads
/// the applications of jobs that ended.
/// </summary>
internal sealed class RuntimeSweeper(JobRuntimeCache runtimes, IOptions<ExecutorOptions> options, ILogger<RuntimeSweeper> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A previous executor with this id may have been killed mid-spill; its files are of no use to anyone.
        EmptySpillFolder();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.JobCheckIntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await runtimes.SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Logs.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        EmptySpillFolder();
    }

    private void EmptySpillFolder()
    {
        string folder = options.Value.ExecutorSpillDirectory;
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            Logs.SweepFailed(logger, e);
        }
    }
}

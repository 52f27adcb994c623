using System.Diagnostics;
using Spark.Serverless.Hosting;

namespace Spark.Serverless.Manager.Launching;

/// <summary>One executor process the manager started.</summary>
internal sealed class ExecutorProcess(string executorId, Process process) : IDisposable
{
    /// <summary>The executor's id (passed as <c>Executor__Id</c>).</summary>
    public string ExecutorId => executorId;

    /// <summary>The OS process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>When the manager started it.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Whether the manager told it to stop.</summary>
    public bool Stopping { get; private set; }

    /// <summary>Starts an executor with the manager's environment plus its id, its manager and its slots.</summary>
    public static ExecutorProcess Start(string executorPath, string executorId, string managerId, int slots)
    {
        var start = executorPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo(DotnetHost(), [executorPath])
            : new ProcessStartInfo(executorPath);
        start.UseShellExecute = false;
        start.Environment["Executor__Id"] = executorId;
        start.Environment["Executor__ManagerId"] = managerId;
        start.Environment["Executor__Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executorPath}.");
        return new ExecutorProcess(executorId, process);
    }

    /// <summary>SIGTERM, then wait for the drain; kill if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Stopping = true;
        if (process.HasExited) return;
        Signals.Terminate(process.Id);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The <c>dotnet</c> host running this process, so executors use the same runtime.</summary>
    private static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Kills it at once (a hung executor that stopped heartbeating).</summary>
    public void Kill()
    {
        Stopping = true;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc />
    public void Dispose() => process.Dispose();
}

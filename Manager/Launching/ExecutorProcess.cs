using System.Diagnostics;

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

    /// <summary>Starts an executor with the manager's environment plus its id.</summary>
    public static ExecutorProcess Start(string executorPath, string executorId)
    {
        var start = executorPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo(DotnetHost(), [executorPath])
            : new ProcessStartInfo(executorPath);
        start.UseShellExecute = false;
        start.Environment["Executor__Id"] = executorId;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executorPath}.");
        return new ExecutorProcess(executorId, process);
    }

    /// <summary>SIGTERM, then wait for the drain; kill if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
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

    /// <inheritdoc />
    public void Dispose() => process.Dispose();
}

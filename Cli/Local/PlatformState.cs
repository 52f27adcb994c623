using System.Diagnostics;
using System.Text.Json;

namespace Spark.Serverless.Cli.Local;

/// <summary>A process <c>up</c> started: its name, id and start time (so <c>down</c> never signals a reused id).</summary>
/// <param name="Name">azurite, driver or manager.</param>
/// <param name="ProcessId">Its process id.</param>
/// <param name="StartedAt">When it started, as the system reports it.</param>
internal sealed record StartedProcess(string Name, int ProcessId, DateTime StartedAt)
{
    /// <summary>The running process, or null if it exited (or its id now belongs to another process).</summary>
    public Process? Find()
    {
        try
        {
            var process = Process.GetProcessById(ProcessId);
            if (!process.HasExited && Math.Abs((process.StartTime - StartedAt).TotalSeconds) < 2) return process;
            process.Dispose();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Gone.
        }
        return null;
    }
}

/// <summary>What <c>up</c> wrote to <c>{home}/platform.json</c> for <c>down</c> and for the other commands' default URL.</summary>
/// <param name="Url">The driver's URL.</param>
/// <param name="Connection">The storage connection string (Azurite).</param>
/// <param name="Logs">The folder of the processes' logs.</param>
/// <param name="Processes">The processes, in the order they started.</param>
internal sealed record PlatformState(string Url, string Connection, string Logs, IReadOnlyList<StartedProcess> Processes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The state file in a home folder.</summary>
    public static string FileIn(DirectoryInfo home) => Path.Combine(home.FullName, "platform.json");

    /// <summary>The state, or null when no platform was started from this home (or the file is unreadable).</summary>
    public static PlatformState? TryRead(DirectoryInfo home)
    {
        try
        {
            return JsonSerializer.Deserialize<PlatformState>(File.ReadAllText(FileIn(home)), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the state.</summary>
    public void Write(DirectoryInfo home) => File.WriteAllText(FileIn(home), JsonSerializer.Serialize(this, Json));
}

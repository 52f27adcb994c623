using System.Runtime.InteropServices;

namespace Spark.Serverless.Hosting;

/// <summary>POSIX signals, which .NET's Process class cannot send (it only kills).</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to stop (SIGTERM): an executor drains its running tasks, a manager its executors, and they exit.</summary>
    /// <returns>False when the process no longer exists.</returns>
    public static bool Terminate(int processId)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        return Kill(processId, SigTerm) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

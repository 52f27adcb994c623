using System.Runtime.InteropServices;

namespace Spark.Serverless.Execution;

/// <summary>The process's high-water mark of resident memory, as each task reports it.</summary>
internal static partial class PeakMemory
{
    private const int RusageSelf = 0;

    /// <summary>
    /// Peak resident bytes. On Linux from <c>getrusage</c>, whose <c>ru_maxrss</c> is the kernel's high-water mark that
    /// /proc's VmHWM shows: <see cref="System.Diagnostics.Process.PeakWorkingSet64"/> reads it by having the kernel
    /// format and the runtime parse all of /proc/self/status, which perf put at 3% of the machine's samples per
    /// executor in the bench's 2,000 no-op tasks. Elsewhere through <see cref="System.Diagnostics.Process"/>.
    /// </summary>
    public static long Bytes()
    {
        if (OperatingSystem.IsLinux() && GetRusage(RusageSelf, out var usage) == 0) return usage.MaxRssKilobytes * 1024;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>Linux's <c>struct rusage</c> on 64-bit: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRssKilobytes;
        public long SharedKilobytes, DataKilobytes, StackKilobytes, MinorFaults, MajorFaults, Swaps;
        public long BlockInputs, BlockOutputs, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }
}

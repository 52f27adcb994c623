using Spark.Serverless.Execution;

namespace Spark.Serverless.Tests.Execution;

[TestClass]
public sealed class PeakMemoryTests
{
    [TestMethod]
    public void PeakMemory_IsTheHighWaterMarkProcShows()
    {
        long before = VmHwmBytes();
        long peak = PeakMemory.Bytes();
        long after = VmHwmBytes();
        Assert.IsTrue(before > 0, "VmHWM read");
        // The kernel counts resident pages per CPU and sums them exactly for /proc but approximately for getrusage:
        // the two may differ by each CPU's unsummed batch (at least 32 pages, twice the CPU count on larger
        // machines), a few hundred kilobytes here, nothing next to the hundreds of megabytes the figure is for.
        long cpus = Environment.ProcessorCount;
        long slack = cpus * Math.Max(32, 2 * cpus) * 4096 + (1 << 20);
        Assert.IsTrue(before - slack <= peak && peak <= after + slack, $"VmHWM {before} then {after} bytes; getrusage said {peak}");
    }

    private static long VmHwmBytes()
    {
        if (!OperatingSystem.IsLinux()) return PeakMemory.Bytes();
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}

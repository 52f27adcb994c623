using System.Globalization;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Bench.Harness;

/// <summary>
/// The latency and throughput micro-benchmarks: scale from zero and back (a manager with no minimum), then with a
/// warm pool: trivial jobs end to end, dispatch latency, and a flood of no-op tasks.
/// </summary>
internal static class Micro
{
    /// <summary>Scales from zero <paramref name="runs"/> times; returns the median zero-to-first-task and drained-to-zero seconds.</summary>
    public static async Task<(double ZeroToFirst, double DrainedToZero)> ScaleFromZeroAsync(Platform platform, BenchClient client,
        IReadOnlyDictionary<string, string> settings, double idleTimeoutSeconds, int runs, Action<string> say)
    {
        var env = new Dictionary<string, string>(settings) { ["Manager__ExecutorIdleTimeoutSeconds"] = idleTimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
        var manager = platform.StartManager("scaler", 0, 2, env);
        var zeroToFirst = new List<double>();
        var drained = new List<double>();
        try
        {
            for (int run = 0; run < runs; run++)
            {
                var job = await client.RunAsync(Workloads.NoOp(4), TimeSpan.FromMinutes(2));
                var created = job.Status["createdTime"]!.GetValue<DateTimeOffset>();
                var first = job.Tasks.Select(t => TaskRows.Started(t!)).Min();
                var last = job.Tasks.Select(t => TaskRows.Ended(t!)).Max();
                zeroToFirst.Add((first - created).TotalSeconds);
                var zero = await WaitForZeroAsync(client, last, TimeSpan.FromSeconds(idleTimeoutSeconds + 60));
                drained.Add((zero - last).TotalSeconds);
                say($"from zero: first task {zeroToFirst[^1]:0.00} s after submit; zero executors {drained[^1]:0.00} s after the last task");
                // Let the scale history move on before the next job, so each run starts from zero.
                await Task.Delay(500);
            }
        }
        finally
        {
            // Stopped here, disposed with the platform: the pool that follows must not share the queue with it.
            manager.Kill();
            await manager.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        return (Median(zeroToFirst), Median(drained));
    }

    /// <summary>When the scale history first shows no executors (running or starting) after <paramref name="after"/>.</summary>
    private static async Task<DateTimeOffset> WaitForZeroAsync(BenchClient client, DateTimeOffset after, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var records = await client.ScaleHistoryAsync();
            var zero = records.Select(r => r!)
                .Where(r => r["managerId"]!.GetValue<string>() == "scaler")
                .Select(r => (At: r["at"]!.GetValue<DateTimeOffset>(), Executors: r["executors"]!.GetValue<int>() + r["starting"]!.GetValue<int>()))
                .Where(r => r.At > after && r.Executors == 0)
                .OrderBy(r => r.At)
                .FirstOrDefault();
            if (zero.At != default) return zero.At;
            await Task.Delay(200);
        }
        throw new TimeoutException("The executors did not scale to zero.");
    }

    /// <summary>Runs <paramref name="runs"/> trivial two-task jobs one after another on warm executors.</summary>
    public static async Task<(double P50, double P99, double DispatchP50, double DispatchP99)> TrivialJobsAsync(BenchClient client, int runs)
    {
        var walls = new List<double>();
        var dispatch = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var job = await client.RunAsync(Workloads.NoOp(2), TimeSpan.FromMinutes(1), pollMs: 5);
            // The first run pays for compiling the spec; later runs of the same spec reuse it, as repeated jobs do.
            if (run == 0) continue;
            // What a user polling every 5 ms sees: the driver's completion, its saving of the state, and the poll.
            walls.Add(job.Seen.TotalMilliseconds);
            dispatch.AddRange(job.Tasks.Select(t => TaskRows.Metrics(t!)?["dispatchMs"]?.GetValue<double>()).OfType<double>());
            // Idle executors between jobs, as a user's next job would find them.
            await Task.Delay(300);
        }
        return (Percentile(walls, 0.5), Percentile(walls, 0.99), Percentile(dispatch, 0.5), Percentile(dispatch, 0.99));
    }

    /// <summary>Runs a job of <paramref name="tasks"/> no-op tasks; returns tasks per second from the first start to the last end.</summary>
    public static async Task<double> NoOpThroughputAsync(BenchClient client, int tasks)
    {
        var job = await client.RunAsync(Workloads.NoOp(tasks), TimeSpan.FromMinutes(5));
        var first = job.Tasks.Select(t => TaskRows.Started(t!)).Min();
        var last = job.Tasks.Select(t => TaskRows.Ended(t!)).Max();
        return tasks / (last - first).TotalSeconds;
    }

    /// <summary>The median.</summary>
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>The nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

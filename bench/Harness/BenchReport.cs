using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Spark.Serverless.Bench.Harness;

/// <summary>Writes the results as JSON and as the README's performance table.</summary>
internal static class BenchReport
{
    /// <summary>Where the README's table starts and ends; the text between is replaced by each <c>--readme</c> run.</summary>
    public const string Start = "<!-- bench:start -->", End = "<!-- bench:end -->";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The results as indented JSON.</summary>
    public static string ToJson(BenchResults results) => JsonSerializer.Serialize(results, Json);

    /// <summary>The results as Markdown: the command, the workload table, the storage table, the micro-benchmarks with their targets.</summary>
    public static string ToMarkdown(BenchResults r)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"Measured {r.StartedAt:yyyy-MM-dd} with `{r.Command}` on {r.Machine}; {r.Platform}; {r.BytesPerWorkload / 1e6:0} MB per workload; whole run {r.TotalSeconds / 60:0.0} min.");
        if (r.Workloads.FirstOrDefault()?.PlatformRuns.Count is > 1 and var rounds)
            md.AppendLine(c, $"Platform and C# baseline times are medians of {rounds} alternating rounds (lowest-highest in brackets), their ratio the medians' ratio; peak RSS is the highest of any round.");
        md.AppendLine();
        md.AppendLine("| Workload | Platform | C# baseline | Ratio (target) | Outside tool | Ratio (target) | MB/s per core | Peak RSS / partition | Correct |");
        md.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (var w in r.Workloads)
        {
            string toolTarget = w.Name switch { "Sort" => "≤ 2.5x", "Q1" => "< 1x", _ => "" };
            string target = w.Name switch { "WordCount" => "≤ 2x", "Q1" => "≤ 2x", "Join" => "≤ 3x", _ => "" };
            string tools = w.ToolName is null ? "n/a | " : string.Create(c, $"{w.ToolName}: {w.ToolSeconds:0.0} s | {w.RatioToTool:0.00}x {(toolTarget.Length > 0 ? $"({toolTarget})" : "")}");
            md.AppendLine(string.Create(c, $"| {w.Name} | {w.PlatformSeconds:0.0} s{Spread(w.PlatformRuns)} | {w.BaselineSeconds:0.0} s{Spread(w.BaselineRuns)} | {w.RatioToBaseline:0.00}x {(target.Length > 0 ? $"({target})" : "")} | {tools} | ")
                + string.Create(c, $"{w.MegabytesPerSecondPerCore:0.0} | {w.ExecutorPeakRssBytes / 1e6:0} MB / {w.PartitionBytes / 1e6:0} MB = {w.RssOverPartitions:0.0}x (≤ 3x) | {(w.Correct ? "yes" : "NO")} |"));
        }
        md.AppendLine();
        md.AppendLine("| Workload | Input | Shuffle written | Moved through storage | Floor | Moved / floor (≤ 1.10) | Storage requests | Tasks |");
        md.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var w in r.Workloads)
            md.AppendLine(c, $"| {w.Name} | {w.InputBytes / 1e6:0} MB | {w.ShuffleBytes / 1e6:0} MB | {w.StorageBytes / 1e6:0} MB | {w.FloorBytes / 1e6:0} MB ({w.Floor}) | {w.StorageOverFloor:0.00} | {w.StorageRequests:N0} | {w.Tasks} |");
        if (r.Micro is { } m)
        {
            md.AppendLine();
            md.AppendLine("| Micro-benchmark | Measured | Target |");
            md.AppendLine("|---|---:|---:|");
            md.AppendLine(c, $"| No-op tasks per second ({m.NoOpTasks} tasks, warm executors{(m.NoOpRuns.Count > 1 ? $", median of {m.NoOpRuns.Count} runs: {string.Join(", ", m.NoOpRuns.Select(v => v.ToString("0", c)))}" : "")}) | {m.NoOpTasksPerSecond:0} | ≥ 300 |");
            md.AppendLine(c, $"| Dispatch latency p50 / p99 (enqueue to task start, warm idle executors) | {m.DispatchP50Ms:0.0} / {m.DispatchP99Ms:0.0} ms | p50 ≤ 20 ms |");
            md.AppendLine(c, $"| Trivial job end to end p50 / p99 (warm executors) | {m.TrivialJobP50Ms:0} / {m.TrivialJobP99Ms:0} ms | ≤ 500 ms |");
            md.AppendLine(c, $"| Zero executors to first task running (median of 3) | {m.ZeroToFirstTaskSeconds:0.00} s | ≤ 3 s |");
            md.AppendLine(c, $"| Queue drained to zero executors (median of 3) | {m.DrainedToZeroSeconds:0.00} s | ≤ idle timeout {m.IdleTimeoutSeconds:0} s + 2 s |");
        }
        return md.ToString();
    }

    /// <summary>" (lowest-highest)" of several rounds' seconds, or nothing for one.</summary>
    private static string Spread(IReadOnlyList<double> runs) =>
        runs.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({runs.Min():0.0}-{runs.Max():0.0})") : "";

    /// <summary>Replaces the table between the markers in the README.</summary>
    public static void UpdateReadme(string readme, string markdown)
    {
        string text = File.ReadAllText(readme);
        int start = text.IndexOf(Start, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) throw new InvalidOperationException($"{readme} has no {Start} ... {End} section for the table.");
        File.WriteAllText(readme, text[..(start + Start.Length)] + "\n" + markdown + text[end..]);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Cli.Progress;

/// <summary>
/// A stage in the shape of Spark's console progress bar, <c>[Stage 1 map at pairs:=====>     (12 + 4) / 40]</c>:
/// tasks succeeded, plus running, of the total; failed attempts follow when there are any.
/// </summary>
internal static class StageLine
{
    private const int Width = 30;

    /// <summary>The line of a stage of a status document.</summary>
    public static string Format(JsonNode stage)
    {
        int total = stage["numTasks"]!.GetValue<int>();
        int done = stage["succeeded"]!.GetValue<int>();
        int active = stage["active"]!.GetValue<int>();
        int failed = stage["failedAttempts"]!.GetValue<int>();
        int filled = total == 0 ? Width : done * Width / total;
        string bar = new string('=', filled) + (filled < Width ? ">" + new string(' ', Width - filled - 1) : "");
        string failures = failed > 0 ? $", {failed} failed" : "";
        return string.Create(CultureInfo.InvariantCulture, $"[Stage {stage["id"]} {stage["name"]}:{bar}({done} + {active}{failures}) / {total}]");
    }

    /// <summary>Whether the stage has started (Spark shows only started stages).</summary>
    public static bool Started(JsonNode stage) => stage["status"]!.GetValue<string>() != "waiting";
}

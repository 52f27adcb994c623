using System.Globalization;
using System.Text.Json.Nodes;
using Spark.Serverless.Cli.Commands;
using Spectre.Console;

namespace Spark.Serverless.Cli.Progress;

/// <summary>
/// Follows a job until it ends: on a terminal, a live block of progress bars, one per started stage, redrawn in place;
/// otherwise (a pipe, a log file, CI) a plain line whenever a stage's counts change. Then the outcome.
/// </summary>
internal static class JobProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits for the job; 0 when it completed, otherwise a <see cref="CliException"/> saying how it ended.</summary>
    public static async Task<int> WaitAsync(DriverClient client, string jobId, CancellationToken cancellationToken)
    {
        var status = Live() ? await LiveAsync(client, jobId, cancellationToken).ConfigureAwait(false) : await PlainAsync(client, jobId, cancellationToken).ConfigureAwait(false);
        return await ReportAsync(client, jobId, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Redrawing needs a terminal that understands ANSI; anything else gets lines.</summary>
    private static bool Live() => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;

    private static async Task<JsonNode> PlainAsync(DriverClient client, string jobId, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<int, string>();
        while (true)
        {
            var status = await client.GetStatusAsync(jobId, cancellationToken).ConfigureAwait(false);
            foreach (var stage in status["stages"]!.AsArray().Select(s => s!).Where(StageLine.Started))
            {
                int id = stage["id"]!.GetValue<int>();
                string line = StageLine.Format(stage);
                if (printed.TryGetValue(id, out var last) && last == line) continue;
                printed[id] = line;
                Console.WriteLine(line);
            }
            if (Ended(status)) return status;
            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<JsonNode> LiveAsync(DriverClient client, string jobId, CancellationToken cancellationToken)
    {
        JsonNode status = await client.GetStatusAsync(jobId, cancellationToken).ConfigureAwait(false);
        await AnsiConsole.Live(Render(status)).AutoClear(false).StartAsync(async live =>
        {
            while (!Ended(status))
            {
                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
                status = await client.GetStatusAsync(jobId, cancellationToken).ConfigureAwait(false);
                live.UpdateTarget(Render(status));
            }
        }).ConfigureAwait(false);
        return status;
    }

    private static Rows Render(JsonNode status)
    {
        var lines = status["stages"]!.AsArray().Select(s => s!).Where(StageLine.Started)
            .Select(s => (Spectre.Console.Rendering.IRenderable)new Text(StageLine.Format(s), s["failedAttempts"]!.GetValue<int>() > 0 ? new Style(Color.Yellow) : Style.Plain))
            .ToList();
        if (lines.Count == 0) lines.Add(new Text($"Job {status["id"]} is {status["runtimeStatus"]}...", new Style(Color.Grey)));
        return new Rows(lines);
    }

    private static bool Ended(JsonNode status) => status["runtimeStatus"]!.GetValue<string>() is "completed" or "failed" or "canceled";

    private static async Task<int> ReportAsync(DriverClient client, string jobId, JsonNode status, CancellationToken cancellationToken)
    {
        string runtime = status["runtimeStatus"]!.GetValue<string>();
        var created = status["createdTime"]!.GetValue<DateTimeOffset>();
        var completed = status["completedTime"]?.GetValue<DateTimeOffset>() ?? created;
        string seconds = (completed - created).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (runtime != "completed")
            throw new CliException($"job {jobId} {runtime} after {seconds} s: {status["error"]}", CliException.JobFailed);
        Console.WriteLine($"Job {jobId} completed in {seconds} s");
        foreach (var (name, value) in status["accumulators"]!.AsObject())
            Console.WriteLine($"  accumulator {name} = {value}");
        var result = await client.GetResultAsync(jobId, cancellationToken).ConfigureAwait(false);
        foreach (var output in result["outputs"]!.AsArray().Select(o => o!))
            Console.WriteLine("  " + JobCommands.Describe(output));
        return 0;
    }
}

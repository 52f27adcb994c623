using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Cli.Commands;

/// <summary><c>submit SPEC [--wait]</c>: posts a JSON spec; with <c>--wait</c>, shows each stage's progress until the job ends.</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The JSON job spec file." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends; exit 1 if it fails." };
        var command = new Command("submit", "Submit a JSON job spec.") { spec, wait };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            var file = parse.GetValue(spec)!;
            if (!file.Exists) throw new CliException($"spec file '{file.FullName}' does not exist", CliException.BadInput);
            using var client = new DriverClient(GlobalOptions.DriverUri(parse));
            string jobId = await client.SubmitAsync(await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            Console.WriteLine($"Submitted job {jobId}");
            if (!parse.GetValue(wait)) return 0;
            return await WaitAsync(client, jobId, ct).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Polls the job, printing a line whenever a stage's counts change, in the shape of Spark's console progress bar.</summary>
    public static async Task<int> WaitAsync(DriverClient client, string jobId, CancellationToken cancellationToken)
    {
        var printed = new Dictionary<int, string>();
        while (true)
        {
            var status = await client.GetStatusAsync(jobId, cancellationToken).ConfigureAwait(false);
            foreach (var stage in status["stages"]!.AsArray().Select(s => s!))
            {
                int id = stage["id"]!.GetValue<int>();
                string line = FormatStage(stage);
                if (stage["status"]!.GetValue<string>() == "waiting" || (printed.TryGetValue(id, out var last) && last == line)) continue;
                printed[id] = line;
                Console.WriteLine(line);
            }
            string runtime = status["runtimeStatus"]!.GetValue<string>();
            if (runtime is "completed" or "failed" or "canceled")
                return await ReportEndAsync(client, jobId, status, runtime, cancellationToken).ConfigureAwait(false);
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string FormatStage(JsonNode stage)
    {
        int total = stage["numTasks"]!.GetValue<int>();
        int done = stage["succeeded"]!.GetValue<int>();
        int active = stage["active"]!.GetValue<int>();
        const int width = 30;
        int filled = total == 0 ? width : done * width / total;
        string bar = new string('=', filled) + (filled < width ? ">" + new string(' ', width - filled - 1) : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"[Stage {stage["id"]} {stage["name"]}:{bar}({done} + {active}) / {total}]");
    }

    private static async Task<int> ReportEndAsync(DriverClient client, string jobId, JsonNode status, string runtime, CancellationToken cancellationToken)
    {
        var created = status["createdTime"]!.GetValue<DateTimeOffset>();
        var completed = status["completedTime"]?.GetValue<DateTimeOffset>() ?? created;
        string seconds = (completed - created).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (runtime != "completed")
            throw new CliException($"job {jobId} {runtime} after {seconds} s: {status["error"]}", CliException.JobFailed);
        Console.WriteLine($"Job {jobId} completed in {seconds} s");
        var result = await client.GetResultAsync(jobId, cancellationToken).ConfigureAwait(false);
        foreach (var output in result["outputs"]!.AsArray().Select(o => o!))
        {
            var manifest = output["manifest"];
            Console.WriteLine(manifest is null
                ? $"  {output["kind"]} {output["path"]}"
                : $"  {output["kind"]} {output["path"]}: {manifest["parts"]!.AsArray().Count} parts, {manifest["records"]} records, {manifest["bytes"]} bytes");
        }
        return 0;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Cli.Commands;

/// <summary>
/// <c>submit SPEC [--wait]</c> posts a JSON spec; <c>submit --assembly PATH [--class NAME] [--dependency PATH]…</c>
/// uploads a compiled application. With <c>--wait</c>, shows each stage's progress until the job ends.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = new Argument<FileInfo?>("spec") { Description = "The JSON job spec file (omit with --assembly).", Arity = ArgumentArity.ZeroOrOne };
        var assembly = new Option<FileInfo?>("--assembly") { Description = "A compiled application holding an ISparkJob." };
        var className = new Option<string?>("--class") { Description = "The ISparkJob class's full name (needed when the assembly has several)." };
        var dependencies = new Option<FileInfo[]>("--dependency") { Description = "Another assembly the application needs (repeatable).", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "The job's name (for --assembly)." };
        var settings = new Option<string?>("--settings") { Description = "Job settings as a JSON object, e.g. '{\"shufflePartitions\":16}' (for --assembly)." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends; exit 1 if it fails." };
        var command = new Command("submit", "Submit a JSON job spec or a compiled application.") { spec, assembly, className, dependencies, name, settings, wait };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            var specFile = parse.GetValue(spec);
            var assemblyFile = parse.GetValue(assembly);
            if ((specFile is null) == (assemblyFile is null))
                throw new CliException("give either a spec file or --assembly PATH, not both or neither", CliException.BadInput);
            using var client = new DriverClient(GlobalOptions.DriverUri(parse));
            string jobId;
            if (specFile is not null)
            {
                Require(specFile, "spec file");
                jobId = await client.SubmitAsync(await File.ReadAllBytesAsync(specFile.FullName, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            }
            else
            {
                var deps = parse.GetValue(dependencies) ?? [];
                Require(assemblyFile!, "assembly");
                foreach (var dep in deps) Require(dep, "dependency");
                jobId = await client.SubmitAssemblyAsync(assemblyFile!, deps, parse.GetValue(className), parse.GetValue(name), parse.GetValue(settings), ct).ConfigureAwait(false);
            }
            Console.WriteLine($"Submitted job {jobId}");
            if (!parse.GetValue(wait)) return 0;
            return await WaitAsync(client, jobId, ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static void Require(FileInfo file, string what)
    {
        if (!file.Exists) throw new CliException($"{what} '{file.FullName}' does not exist", CliException.BadInput);
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
        foreach (var (name, value) in status["accumulators"]!.AsObject())
            Console.WriteLine($"  accumulator {name} = {value}");
        var result = await client.GetResultAsync(jobId, cancellationToken).ConfigureAwait(false);
        foreach (var output in result["outputs"]!.AsArray().Select(o => o!))
            Console.WriteLine("  " + Describe(output));
        return 0;
    }

    private static string Describe(JsonNode output)
    {
        string head = $"{output["kind"]} {output["name"]}";
        if (output["manifest"] is { } manifest)
            return $"{head} -> {output["path"]}: {manifest["parts"]!.AsArray().Count} parts, {manifest["records"]} records, {manifest["bytes"]} bytes";
        var value = output["value"];
        return value switch
        {
            JsonArray array when array.Count <= 10 => $"{head}: {array.ToJsonString()}",
            JsonArray array => $"{head}: {array.Count} records (see 'spark-serverless result')",
            JsonObject map when map.Count > 10 => $"{head}: {map.Count} keys (see 'spark-serverless result')",
            _ => $"{head}: {value?.ToJsonString()}",
        };
    }
}

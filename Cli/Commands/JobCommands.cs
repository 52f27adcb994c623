using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Cli.Progress;

namespace Spark.Serverless.Cli.Commands;

/// <summary><c>status</c>, <c>result</c>, <c>jobs</c>, <c>cancel</c> and <c>logs</c>: what happened to jobs.</summary>
internal static class JobCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Status()
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends; exit 1 if it fails." };
        var command = new Command("status", "Print a job's status.") { id, wait };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = GlobalOptions.Client(parse);
            if (parse.GetValue(wait)) return await JobProgress.WaitAsync(client, parse.GetValue(id)!, ct).ConfigureAwait(false);
            Console.WriteLine((await client.GetStatusAsync(parse.GetValue(id)!, ct).ConfigureAwait(false)).ToJsonString(Indented));
            return 0;
        }));
        return command;
    }

    public static Command Result()
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var command = new Command("result", "Print a completed job's result.") { id };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = GlobalOptions.Client(parse);
            Console.WriteLine((await client.GetResultAsync(parse.GetValue(id)!, ct).ConfigureAwait(false)).ToJsonString(Indented));
            return 0;
        }));
        return command;
    }

    public static Command Jobs()
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status (pending, running, completed, failed, canceled)." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("jobs", "List the newest jobs.") { status, limit };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var jobs = (await client.ListJobsAsync(parse.GetValue(status), parse.GetValue(limit), ct).ConfigureAwait(false)).AsArray().Select(j => j!).ToList();
            if (jobs.Count == 0)
            {
                Console.WriteLine("No jobs.");
                return 0;
            }
            Console.WriteLine($"{"ID",-26} {"STATUS",-10} {"SUBMITTED",-20} {"DURATION",10} {"TASKS",11}  NAME");
            foreach (var job in jobs)
            {
                var created = job["createdTime"]!.GetValue<DateTimeOffset>().ToLocalTime();
                string tasks = $"{job["succeededTasks"]}/{job["tasks"]}";
                string took = (job["durationMs"]!.GetValue<double>() / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s";
                Console.WriteLine($"{job["id"],-26} {job["runtimeStatus"],-10} {created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} {took,10} {tasks,11}  {job["name"]}");
            }
            return 0;
        }));
        return command;
    }

    public static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var command = new Command("cancel", "Cancel a job: nothing more is dispatched and its running tasks stop.") { id };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = GlobalOptions.Client(parse);
            await client.CancelAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
            Console.WriteLine($"Cancel requested for job {parse.GetValue(id)}.");
            return 0;
        }));
        return command;
    }

    public static Command Logs()
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var stage = new Option<int?>("--stage") { Description = "Only this stage's tasks." };
        var partition = new Option<int?>("--partition") { Description = "Only this partition's attempts (with --stage)." };
        var command = new Command("logs", "Print what a job's task attempts logged, their own prints and failures included.") { id, stage, partition };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = GlobalOptions.Client(parse);
            var logs = (await client.GetLogsAsync(parse.GetValue(id)!, parse.GetValue(stage), parse.GetValue(partition), ct).ConfigureAwait(false)).AsArray();
            if (logs.Count == 0) Console.WriteLine("No task has logged yet.");
            foreach (var log in logs.Select(l => l!))
            {
                Console.WriteLine($"=== stage {log["stage"]} (attempt {log["stageAttempt"]}), partition {log["partition"]}, attempt {log["attemptId"]} ===");
                Console.WriteLine(log["text"]!.GetValue<string>().TrimEnd());
            }
            return 0;
        }));
        return command;
    }

    /// <summary>One line per output of a completed job.</summary>
    public static string Describe(JsonNode output)
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

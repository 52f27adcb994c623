using System.CommandLine;

namespace Spark.Serverless.Cli.Commands;

/// <summary><c>status ID</c> and <c>result ID</c>: print a job's status or result document.</summary>
internal static class StatusCommand
{
    public static Command Status()
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the job ends." };
        var command = new Command("status", "Print a job's status.") { id, wait };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            using var client = new DriverClient(GlobalOptions.DriverUri(parse));
            if (parse.GetValue(wait)) return await SubmitCommand.WaitAsync(client, parse.GetValue(id)!, ct).ConfigureAwait(false);
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
            using var client = new DriverClient(GlobalOptions.DriverUri(parse));
            Console.WriteLine((await client.GetResultAsync(parse.GetValue(id)!, ct).ConfigureAwait(false)).ToJsonString(Indented));
            return 0;
        }));
        return command;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };
}

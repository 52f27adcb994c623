using System.CommandLine;
using Spark.Serverless.Cli;
using Spark.Serverless.Cli.Commands;

var root = new RootCommand("spark-serverless: run Spark.Serverless locally, submit Spark-style jobs, watch them, and move data in and out.")
{
    PlatformCommands.Up(),
    PlatformCommands.Down(),
    SubmitCommand.Create(),
    JobCommands.Status(),
    JobCommands.Jobs(),
    JobCommands.Result(),
    JobCommands.Cancel(),
    JobCommands.Logs(),
    TransferCommands.Upload(),
    TransferCommands.Download(),
};
root.Options.Add(GlobalOptions.Url);
root.Options.Add(GlobalOptions.Key);
root.Options.Add(GlobalOptions.Home);
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One line, not a page of help: the usage is a --help away.
    string command = string.Join(' ', parse.CommandResult.Command == root ? [] : new[] { parse.CommandResult.Command.Name });
    var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
    await Console.Error.WriteLineAsync($"spark-serverless: {error.Message} (see 'spark-serverless {command}{(command.Length > 0 ? " " : "")}--help')");
    return CliException.BadInput;
}
return await parse.InvokeAsync();

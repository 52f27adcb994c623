using System.CommandLine;
using Spark.Serverless.Cli;
using Spark.Serverless.Cli.Commands;

var root = new RootCommand("spark-serverless: submit Spark-style jobs to Spark.Serverless and move data in and out.")
{
    SubmitCommand.Create(),
    StatusCommand.Status(),
    StatusCommand.Result(),
    TransferCommands.Upload(),
    TransferCommands.Download(),
};
root.Options.Add(GlobalOptions.Url);
root.Options.Add(GlobalOptions.Connection);
return await root.Parse(args).InvokeAsync();

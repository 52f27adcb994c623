using System.CommandLine;
using Spark.Serverless.Cli.Local;

namespace Spark.Serverless.Cli.Commands;

/// <summary><c>up</c> and <c>down</c>: the local platform (Azurite, a driver, a manager) in the background.</summary>
internal static class PlatformCommands
{
    public static Command Up()
    {
        var port = new Option<int>("--port") { Description = "The driver's port.", DefaultValueFactory = _ => 7071 };
        var executors = new Option<int>("--max-executors") { Description = "The most executors the manager starts.", DefaultValueFactory = _ => 2 };
        var inMemory = new Option<bool>("--in-memory") { Description = "Keep storage in memory (lost at 'down') instead of in the home folder." };
        var command = new Command("up", "Start Azurite, a driver and a manager (which starts executors as tasks wait) in the background.") { port, executors, inMemory };
        command.SetAction((parse, ct) => CliRunner.RunAsync(async () =>
        {
            int p = parse.GetValue(port), max = parse.GetValue(executors);
            if (p is < 1 or > 65535) throw new CliException($"--port {p} is not a port number", CliException.BadInput);
            if (max is < 1 or > 64) throw new CliException($"--max-executors {max} must be from 1 to 64", CliException.BadInput);
            var home = parse.GetValue(GlobalOptions.Home)!;
            var state = await LocalPlatform.UpAsync(home, p, max, parse.GetValue(inMemory), ct).ConfigureAwait(false);
            Console.WriteLine($"""
                Spark.Serverless is up (0 to {max} executors, started as tasks wait).
                  API and web UI: {state.Url}/
                  Storage:        {state.Connection}
                  Logs:           {state.Logs}
                  Stop it with:   spark-serverless down
                """);
            return 0;
        }));
        return command;
    }

    public static Command Down()
    {
        var command = new Command("down", "Stop what 'up' started: the manager (its executors drain first), the driver, Azurite.");
        command.SetAction((parse, _) => CliRunner.RunAsync(async () =>
        {
            var home = parse.GetValue(GlobalOptions.Home)!;
            int stopped = await LocalPlatform.DownAsync(home).ConfigureAwait(false);
            Console.WriteLine(stopped < 0 ? $"Nothing to stop: no platform was started from {home.FullName}." : $"Stopped {stopped} processes.");
            return 0;
        }));
        return command;
    }
}

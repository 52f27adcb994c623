using Spark.Serverless.Testing;

namespace Spark.Serverless.Cli.Tests;

/// <summary>What one run of the CLI printed and how it exited.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Its standard output and error, interleaved.</param>
internal sealed record CliRun(int ExitCode, string Output)
{
    /// <summary>The lines printed.</summary>
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <c>spark-serverless</c> as its own process, as a user would.</summary>
internal static class Cli
{
    /// <summary>Runs the CLI with arguments and extra environment; waits for it to exit.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var process = ChildProcess.StartDotnet("cli", "Spark.Serverless.Cli", "spark-serverless.dll", arguments, environment);
        int code = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return new CliRun(code, process.Output);
    }

    /// <summary>The path of the CLI's build, for a shell to run.</summary>
    public static string Dll => RepoPaths.Artifact("Spark.Serverless.Cli", "spark-serverless.dll");
}

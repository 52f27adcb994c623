namespace Spark.Serverless.Cli;

/// <summary>A failure to report as one line and an exit code.</summary>
/// <param name="message">The line to print.</param>
/// <param name="exitCode">The process exit code.</param>
public sealed class CliException(string message, int exitCode) : Exception(message)
{
    /// <summary>Bad input: a missing file, a rejected spec, an unknown job.</summary>
    public const int BadInput = 2;

    /// <summary>The driver or storage could not be reached.</summary>
    public const int Unreachable = 3;

    /// <summary>The job ran and failed or was canceled.</summary>
    public const int JobFailed = 1;

    /// <summary>The exit code.</summary>
    public int ExitCode => exitCode;
}

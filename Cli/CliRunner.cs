namespace Spark.Serverless.Cli;

/// <summary>Runs a command's body and turns every failure into one line on stderr and an exit code.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"spark-serverless: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"spark-serverless: cannot reach the driver: {e.Message}").ConfigureAwait(false);
            return CliException.Unreachable;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"spark-serverless: {e.Message}").ConfigureAwait(false);
            return CliException.BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("spark-serverless: canceled").ConfigureAwait(false);
            return 130;
        }
    }
}

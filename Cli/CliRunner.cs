using Azure;

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
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is RequestFailedException))
        {
            // The storage SDK's retry wraps every attempt's failure; the last one says it.
            await Console.Error.WriteLineAsync($"spark-serverless: storage request failed after {e.InnerExceptions.Count} tries: {e.InnerExceptions[^1].Message.Split('\n')[0]}").ConfigureAwait(false);
            return CliException.Unreachable;
        }
        catch (RequestFailedException e)
        {
            await Console.Error.WriteLineAsync($"spark-serverless: storage request failed: {e.Status} {e.ErrorCode}").ConfigureAwait(false);
            return CliException.Unreachable;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"spark-serverless: cannot reach storage or the driver: {e.Message}").ConfigureAwait(false);
            return CliException.Unreachable;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("spark-serverless: canceled").ConfigureAwait(false);
            return 130;
        }
    }
}

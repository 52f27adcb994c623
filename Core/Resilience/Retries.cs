using Azure;
using Polly;
using Polly.Retry;

namespace Spark.Serverless.Resilience;

/// <summary>
/// The Polly pipelines around the platform's own storage work, on top of the storage SDK's per-request retries:
/// a whole operation (a command, an event report) is retried when storage stays unavailable for a while.
/// </summary>
public static class Retries
{
    /// <summary>Retries operations that failed with a transient storage error: 408, 429, 5xx, or an I/O failure.</summary>
    public static readonly ResiliencePipeline Storage = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(IsTransient).Handle<IOException>().Handle<AggregateException>(e => e.InnerExceptions.All(i => i is RequestFailedException r && IsTransient(r) || i is IOException)),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();

    /// <summary>Whether a storage failure may go away by itself.</summary>
    public static bool IsTransient(RequestFailedException e) => e.Status is 0 or 408 or 429 or >= 500;
}

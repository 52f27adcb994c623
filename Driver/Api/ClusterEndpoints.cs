using System.Text.Json;
using Spark.Serverless.Cluster;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Api;

/// <summary>The cluster API: the executors' heartbeats and the managers' scale decisions.</summary>
public static class ClusterEndpoints
{
    private const int MaxHistoryMinutes = 24 * 60;

    /// <summary>Maps <c>GET /api/executors</c> and <c>GET /api/scale/history</c>.</summary>
    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/executors", GetExecutorsAsync);
        routes.MapGet("/api/scale/history", GetHistoryAsync);
        return routes;
    }

    /// <summary>Every executor with a heartbeat; one silent past the timeout is reported lost, whatever it last said.</summary>
    private static async Task<IResult> GetExecutorsAsync(ExecutorRegistry registry, SparkStorage storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(storage.Options.ExecutorHeartbeatTimeoutSeconds);
        var executors = (await registry.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            .Select(b => b.Heartbeat)
            .Select(h => h.Status is ExecutorStatus.Alive or ExecutorStatus.Draining && now - h.LastSeen > timeout ? h with { Status = ExecutorStatus.Lost } : h)
            .OrderBy(h => h.ExecutorId, StringComparer.Ordinal)
            .ToList();
        return Results.Json(executors, SparkJson.Options);
    }

    /// <summary>The scale decisions of the last <c>minutes</c> (default 60), oldest first, from every manager.</summary>
    private static async Task<IResult> GetHistoryAsync(SparkStorage storage, TimeProvider time, int? minutes, CancellationToken cancellationToken)
    {
        int span = minutes ?? 60;
        if (span is < 1 or > MaxHistoryMinutes)
            return Results.Json(new ErrorResponse($"'minutes' must be from 1 to {MaxHistoryMinutes}, not {span}."), statusCode: StatusCodes.Status400BadRequest);
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromMinutes(span);
        var records = new List<JsonElement>();
        for (var hour = new DateTimeOffset(since.UtcDateTime.Date.AddHours(since.UtcDateTime.Hour), TimeSpan.Zero); hour <= now; hour = hour.AddHours(1))
        {
            string prefix = $"{StorageLayout.ScaleHistoryPrefix}{hour.UtcDateTime:yyyyMMddHH}/";
            await foreach (var blob in storage.Container.GetBlobsAsync(prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var content = await storage.Container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                foreach (var line in content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.GetProperty("at").GetDateTimeOffset() >= since) records.Add(document.RootElement.Clone());
                }
            }
        }
        return Results.Json(records.OrderBy(r => r.GetProperty("at").GetDateTimeOffset()).ToList(), SparkJson.Options);
    }
}

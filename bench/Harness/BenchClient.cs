using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Bench.Harness;

/// <summary>The driver's HTTP API as the benchmark uses it: submit, wait, read the task table and the scale history.</summary>
internal sealed class BenchClient(HttpClient http)
{
    /// <summary>A finished job: its id, its status document, its tasks, and its wall time.</summary>
    /// <param name="Id">The job id.</param>
    /// <param name="Status">The job's final status document.</param>
    /// <param name="Tasks">The job's task table.</param>
    /// <param name="Wall">From the moment the client posted the spec to the completion time the driver recorded.</param>
    /// <param name="Seen">From the same moment to the poll that saw the job end: <see cref="Wall"/> plus the driver saving the state, up to a poll interval and the poll's answer.</param>
    /// <param name="Posted">When the client posted the spec, on this machine's clock (which the driver's shares).</param>
    public sealed record FinishedJob(string Id, JsonNode Status, JsonArray Tasks, TimeSpan Wall, TimeSpan Seen, DateTimeOffset Posted);

    /// <summary>Submits a spec and waits for it to end, polling every <paramref name="pollMs"/> ms; fails unless it completed.</summary>
    /// <remarks>
    /// Each poll is a request to the driver and a conditional read of the job's state from storage, on the cores the
    /// job runs on; the wall time comes from the driver's completion time, so a slower poll costs it no accuracy.
    /// </remarks>
    public async Task<FinishedJob> RunAsync(string spec, TimeSpan timeout, int pollMs = 250)
    {
        var posted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync("api/jobs", new StringContent(spec, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Submitting failed ({(int)response.StatusCode}): {body}");
        string id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        while (true)
        {
            var status = (await http.GetFromJsonAsync<JsonNode>($"api/jobs/{id}"))!;
            string state = status["runtimeStatus"]!.GetValue<string>();
            if (state is "completed" or "failed" or "canceled")
            {
                var seen = clock.Elapsed;
                if (state != "completed") throw new InvalidOperationException($"Job {id} {state}: {status["error"]}");
                var tasks = (await http.GetFromJsonAsync<JsonArray>($"api/jobs/{id}/tasks"))!;
                // The driver runs on this machine, so its clock and ours are the same clock.
                var wall = status["completedTime"]!.GetValue<DateTimeOffset>() - posted;
                return new FinishedJob(id, status, tasks, wall, seen, posted);
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"Job {id} did not finish within {timeout.TotalSeconds:0} s: {status.ToJsonString()}");
            await Task.Delay(pollMs);
        }
    }

    /// <summary>The executors with a heartbeat.</summary>
    public async Task<JsonArray> ExecutorsAsync() => (await http.GetFromJsonAsync<JsonArray>("api/executors"))!;

    /// <summary>The managers' scale decisions of the last few minutes.</summary>
    public async Task<JsonArray> ScaleHistoryAsync() => (await http.GetFromJsonAsync<JsonArray>("api/scale/history?minutes=10"))!;
}

/// <summary>Reads fields of the task table's JSON.</summary>
internal static class TaskRows
{
    /// <summary>A committed task's metrics object.</summary>
    public static JsonNode? Metrics(JsonNode task) => task["metrics"];

    /// <summary>A long metric of a task, 0 when missing.</summary>
    public static long Long(JsonNode task, string name) => Metrics(task)?[name]?.GetValue<long>() ?? 0;

    /// <summary>A fractional metric of a task, 0 when missing.</summary>
    public static double Double(JsonNode task, string name) => Metrics(task)?[name]?.GetValue<double>() ?? 0;

    /// <summary>When a task's committed attempt started.</summary>
    public static DateTimeOffset Started(JsonNode task) => Metrics(task)!["startedAt"]!.GetValue<DateTimeOffset>();

    /// <summary>When a task's committed attempt ended.</summary>
    public static DateTimeOffset Ended(JsonNode task) => Started(task).AddMilliseconds(Metrics(task)!["durationMs"]!.GetValue<double>());
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Spark.Serverless.Cluster;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.Driver.Submission;
using Spark.Serverless.Messaging;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Api;

/// <summary>The jobs API: submit, list, status, tasks, logs, cancel, result.</summary>
public static partial class JobEndpoints
{
    private const int MaxListed = 500;
    private const int MaxLogs = 500;

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$")]
    private static partial Regex JobIdPattern();

    /// <summary>Maps <c>/api/jobs</c> and its children.</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs");
        // The body is read by hand (a JSON spec or a multipart upload), so it is described, not declared: declaring a
        // content type would make the framework refuse the other with 415.
        jobs.MapPost("", SubmitAsync).WithSummary("Submit a job")
            .WithDescription("The body is a JSON spec (application/json; see the README's \"The JSON spec\") or multipart/form-data with assembly, dependency, class, name and settings.")
            .Produces<SubmitResponse>(StatusCodes.Status202Accepted)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge);
        jobs.MapGet("", ListAsync).WithSummary("The newest jobs, newest first").Produces<IReadOnlyList<JobSummaryView>>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        jobs.MapGet("/{id}", GetStatusAsync).WithSummary("A job's status, stages and metrics").Produces<JobStatusView>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/tasks", GetTasksAsync).WithSummary("A job's task table").Produces<IReadOnlyList<TaskView>>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/logs", GetLogsAsync).WithSummary("What a job's task attempts logged").Produces<IReadOnlyList<TaskLogView>>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/cancel", CancelAsync).WithSummary("Cancel a job").Produces(StatusCodes.Status202Accepted)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id}/result", GetResultAsync).WithSummary("A completed job's outputs").Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound).Produces<ErrorResponse>(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobSubmitter submitter, IOptions<DriverOptions> options, CancellationToken cancellationToken)
    {
        var o = options.Value;
        SubmittedJob job;
        try
        {
            if (request.HasFormContentType)
            {
                var upload = await AssemblyForm.ReadAsync(request, o.MaxAssemblyBytes, cancellationToken).ConfigureAwait(false);
                if (upload is null)
                    return Results.Json(new ErrorResponse($"The upload is larger than the limit of {o.MaxAssemblyBytes} bytes (Driver:MaxAssemblyBytes)."), statusCode: StatusCodes.Status413PayloadTooLarge);
                job = await submitter.SubmitAssemblyAsync(upload, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var body = await RequestBody.ReadAsync(request, o.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
                if (body is null)
                    return Results.Json(new ErrorResponse($"The request body is larger than the limit of {o.MaxRequestBytes} bytes (Driver:MaxRequestBytes)."), statusCode: StatusCodes.Status413PayloadTooLarge);
                job = await submitter.SubmitSpecAsync(body.Value, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SpecException e)
        {
            return Results.BadRequest(new ErrorResponse(e.Message, e.Errors.Count > 1 ? e.Errors : null));
        }
        var baseUri = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/api/jobs/{job.JobId}");
        var response = new SubmitResponse(job.JobId, baseUri, new Uri(baseUri + "/cancel"), new Uri(baseUri + "/result"));
        return new WithLocation(Results.Json(response, SparkJson.Options, statusCode: StatusCodes.Status202Accepted), baseUri);
    }

    private static async Task<IResult> GetStatusAsync(string id, JobStore store, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        return state is null ? UnknownJob(id) : Results.Json(JobStatusView.From(state), SparkJson.Options);
    }

    private static async Task<IResult> ListAsync(JobStore store, TimeProvider time, string? status, int? limit, CancellationToken cancellationToken)
    {
        int take = limit ?? 50;
        if (take is < 1 or > MaxListed)
            return Results.BadRequest(new ErrorResponse($"'limit' must be from 1 to {MaxListed}, not {take}."));
        JobStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return Results.BadRequest(new ErrorResponse($"'status' must be one of {string.Join(", ", Enum.GetNames<JobStatus>().Select(n => n.ToLowerInvariant()))}, not '{status}'."));
            wanted = parsed;
        }
        var ids = await store.ListJobIdsAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var found = new List<JobSummaryView>();
        // Newest first, a page at a time in parallel, until enough match the filter.
        foreach (var page in ids.Chunk(Math.Min(take, 50)))
        {
            var states = await Task.WhenAll(page.Select(id => store.LoadAsync(id, cancellationToken))).ConfigureAwait(false);
            found.AddRange(states.OfType<(JobState State, Azure.ETag)>().Select(s => s.State)
                .Where(s => wanted is null || s.Status == wanted).Select(s => JobSummaryView.From(s, now)));
            if (found.Count >= take) break;
        }
        return Results.Json(found.Take(take).ToList(), SparkJson.Options);
    }

    private static async Task<IResult> GetTasksAsync(string id, JobStore store, ExecutorRegistry registry, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        if (state is null) return UnknownJob(id);
        var running = new Dictionary<TaskMessage, string>();
        if (!state.IsTerminal)
            foreach (var (beat, _) in await registry.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                foreach (var task in beat.Running.Where(t => t.JobId == id)) running[task] = beat.ExecutorId;
        return Results.Json(TaskView.From(state, running), SparkJson.Options);
    }

    private static async Task<IResult> GetLogsAsync(string id, JobStore store, SparkStorage storage, int? stage, int? partition, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        if (state is null) return UnknownJob(id);
        if (partition is not null && stage is null)
            return Results.BadRequest(new ErrorResponse("'partition' needs 'stage' too."));
        var names = new List<string>();
        await foreach (var blob in storage.Container.GetBlobsAsync(prefix: StorageLayout.TaskLogPrefix(id, stage), cancellationToken: cancellationToken).ConfigureAwait(false))
            names.Add(blob.Name);
        var logs = names.Select(ParseLogName).OfType<(int Stage, int StageAttempt, int Partition, string AttemptId, string Name)>()
            .Where(l => partition is null || l.Partition == partition)
            .OrderBy(l => l.Stage).ThenBy(l => l.Partition).ThenBy(l => l.StageAttempt).ThenBy(l => l.AttemptId, StringComparer.Ordinal)
            .Take(MaxLogs).ToList();
        var texts = await Task.WhenAll(logs.Select(async l =>
            (await storage.Container.GetBlobClient(l.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString())).ConfigureAwait(false);
        return Results.Json(logs.Select((l, i) => new TaskLogView(l.Stage, l.StageAttempt, l.Partition, l.AttemptId, texts[i])).ToList(), SparkJson.Options);
    }

    /// <summary>Reads <c>jobs/{id}/logs/{stage}/{stageAttempt}/{partition}/{attemptId}.log</c>.</summary>
    private static (int, int, int, string, string)? ParseLogName(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 7 || !parts[6].EndsWith(".log", StringComparison.Ordinal)) return null;
        return int.TryParse(parts[3], out int stage) && int.TryParse(parts[4], out int stageAttempt) && int.TryParse(parts[5], out int partition)
            ? (stage, stageAttempt, partition, parts[6][..^4], name) : null;
    }

    private static async Task<IResult> CancelAsync(string id, JobStore store, SparkStorage storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        if (state is null) return UnknownJob(id);
        if (state.IsTerminal)
            return Results.Json(new ErrorResponse($"Job {id} is already {state.Status}; there is nothing to cancel."), statusCode: StatusCodes.Status409Conflict);
        if (state.Committing)
            return Results.Json(new ErrorResponse($"Job {id} is committing its output; it is too late to cancel."), statusCode: StatusCodes.Status409Conflict);
        await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(new CancelRequested { JobId = id, At = time.GetUtcNow() }), cancellationToken: cancellationToken).ConfigureAwait(false);
        return Results.Accepted($"/api/jobs/{id}", new { id, status = "cancelRequested" });
    }

    private static async Task<IResult> GetResultAsync(string id, JobStore store, SparkStorage storage, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        if (state is null) return UnknownJob(id);
        if (state.Status != JobStatus.Completed)
            return Results.Json(new ErrorResponse($"Job {id} is {state.Status}; its result is available once it is Completed."), statusCode: StatusCodes.Status409Conflict);
        var results = await storage.Container.GetBlobClient(StorageLayout.Results(id)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return Results.Text(results.Value.Content.ToString(), "application/json");
    }

    private static async Task<JobState?> LoadAsync(string id, JobStore store, CancellationToken cancellationToken)
    {
        // Ids name blobs: anything not shaped like an id is unknown, never a path.
        if (!JobIdPattern().IsMatch(id)) return null;
        var loaded = await store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        return loaded?.State;
    }

    private static IResult UnknownJob(string id) =>
        Results.Json(new ErrorResponse($"There is no job '{id}'."), statusCode: StatusCodes.Status404NotFound);

    /// <summary>Adds a Location header to another result.</summary>
    private sealed class WithLocation(IResult inner, Uri location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location.ToString();
            return inner.ExecuteAsync(httpContext);
        }
    }
}

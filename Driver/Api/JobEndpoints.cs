using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.Driver.Submission;
using Spark.Serverless.Messaging;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Api;

/// <summary>The jobs API: submit, status, cancel, result.</summary>
public static partial class JobEndpoints
{
    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$")]
    private static partial Regex JobIdPattern();

    /// <summary>Maps <c>/api/jobs</c> and its children.</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs");
        jobs.MapPost("", SubmitAsync);
        jobs.MapGet("/{id}", GetStatusAsync);
        jobs.MapPost("/{id}/cancel", CancelAsync);
        jobs.MapGet("/{id}/result", GetResultAsync);
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

    private static async Task<IResult> CancelAsync(string id, JobStore store, SparkStorage storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(id, store, cancellationToken).ConfigureAwait(false);
        if (state is null) return UnknownJob(id);
        if (state.IsTerminal)
            return Results.Json(new ErrorResponse($"Job {id} is already {state.Status}; there is nothing to cancel."), statusCode: StatusCodes.Status409Conflict);
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

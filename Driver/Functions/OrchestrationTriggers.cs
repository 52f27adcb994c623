using System.Text.Json;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Functions;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Driver.Functions;

/// <summary>
/// The driver's orchestration as Azure Functions custom-handler functions: the host receives control events
/// through a queue trigger (and keeps their leases) and posts each to <c>/driver</c>; a timer trigger posts to
/// <c>/ticks</c> to sweep the running jobs. The HTTP API needs nothing here: the host forwards its requests as they
/// are (<c>enableForwardingHttpRequest</c>).
/// </summary>
public static class OrchestrationTriggers
{
    /// <summary>The control-queue function's name (its folder under <c>infra/functions/driver</c>, and its path).</summary>
    public const string ControlFunction = "driver";

    /// <summary>The control queue trigger's binding name in <c>function.json</c>.</summary>
    public const string ControlBinding = "controlEvent";

    /// <summary>The timer function's name (its folder, and its path).</summary>
    public const string TimerFunction = "ticks";

    /// <summary>Maps <c>POST /driver</c> and <c>POST /ticks</c>.</summary>
    public static IEndpointRouteBuilder MapOrchestrationTriggers(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/" + ControlFunction, HandleControlEventAsync);
        routes.MapPost("/" + TimerFunction, HandleTimerAsync);
        return routes;
    }

    /// <summary>
    /// Applies one control event. A failure answers 500, so the host leaves the message to be delivered again, as the
    /// local control loop would; an unreadable message is answered done (there is nothing to retry).
    /// </summary>
    private static async Task<IResult> HandleControlEventAsync(HttpRequest request, JobProcessor processor, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            (_, text) = await InvocationRequest.ReadAsync(request.Body, ControlBinding, cancellationToken).ConfigureAwait(false);
        }
        catch (InvocationException e)
        {
            return Results.Json(InvocationResponse.LogOnly(e.Message), statusCode: StatusCodes.Status400BadRequest);
        }
        ControlEvent controlEvent;
        try
        {
            controlEvent = SparkJson.FromBinary<ControlEvent>(BinaryData.FromString(text));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return Results.Json(InvocationResponse.LogOnly($"Unreadable control message discarded: {e.Message}"));
        }
        try
        {
            var state = await processor.ProcessAsync(controlEvent.JobId, [controlEvent], cancellationToken).ConfigureAwait(false);
            string line = state is null ? $"Job {controlEvent.JobId}: no such job; {controlEvent.GetType().Name} dropped" : $"Job {controlEvent.JobId}: {controlEvent.GetType().Name} applied; the job is {state.Status}";
            return Results.Json(InvocationResponse.LogOnly(line));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Results.Json(InvocationResponse.LogOnly($"Job {controlEvent.JobId}: applying {controlEvent.GetType().Name} failed, to be retried: {e.Message}"), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static async Task<IResult> HandleTimerAsync(TickSweep sweep, CancellationToken cancellationToken)
    {
        int swept = await sweep.SweepAsync(cancellationToken).ConfigureAwait(false);
        return Results.Json(InvocationResponse.LogOnly($"Swept {swept} running job(s)"));
    }
}

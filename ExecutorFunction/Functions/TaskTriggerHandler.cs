using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Spark.Serverless.Executor.Runtime;
using Spark.Serverless.Functions;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Executor.Functions;

/// <summary>
/// The executor as an Azure Functions custom handler: the host receives a task message through the queue trigger
/// (and keeps its lease), posts it here, and writes the task's outcome, which this returns as the
/// <c>controlEvent</c> output binding, to the control queue. The task runs exactly as the queue listener runs it.
/// </summary>
public static class TaskTriggerHandler
{
    /// <summary>The function's name (its folder under <c>infra/functions/executor</c>), which is the path the host posts to.</summary>
    public const string FunctionName = "executor";

    /// <summary>The queue trigger's binding name in <c>function.json</c>.</summary>
    public const string TriggerBinding = "task";

    /// <summary>The queue output binding's name in <c>function.json</c>: the event for the control queue.</summary>
    public const string OutputBinding = "controlEvent";

    /// <summary>Maps <c>POST /executor</c>.</summary>
    public static IEndpointRouteBuilder MapTaskTrigger(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/" + FunctionName, HandleAsync);
        return routes;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, TaskDispatcher dispatcher, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(TaskTriggerHandler));
        InvocationRequest invocation;
        string text;
        try
        {
            (invocation, text) = await InvocationRequest.ReadAsync(request.Body, TriggerBinding, cancellationToken).ConfigureAwait(false);
        }
        catch (InvocationException e)
        {
            // A malformed invocation is the host's or a caller's mistake, not the message's: answer it and let the host retry.
            return Results.Json(InvocationResponse.LogOnly(e.Message), statusCode: StatusCodes.Status400BadRequest);
        }

        var body = BinaryData.FromString(text);
        string messageId = invocation.Metadata.TryGetValue("Id", out var id) ? id.ToString() : "?";
        if (TaskDispatcher.TryRead(body, out string? error) is not { } tasks)
        {
            // Answered as done, so the host deletes it; the copy in the poison queue is what remains.
            Logs.BadTaskMessage(logger, messageId, error!);
            await dispatcher.PoisonAsync(body, cancellationToken).ConfigureAwait(false);
            return Results.Json(InvocationResponse.LogOnly($"Unreadable task message {messageId} moved to the poison queue: {error}"));
        }
        // The host holds the message's lease while this request runs; the tasks finish even if the host gives up waiting.
        var (outcome, poison) = await dispatcher.RunMessageAsync(tasks, invocation.Number("DequeueCount") ?? 1, CancellationToken.None).ConfigureAwait(false);
        if (poison) await dispatcher.PoisonAsync(body, cancellationToken).ConfigureAwait(false);
        var events = outcome is TaskReports reports ? reports.Events : [outcome];
        return Results.Json(new InvocationResponse(
            new Dictionary<string, object?> { [OutputBinding] = SparkJson.ToBinary(outcome).ToString() },
            [.. events.Select(Describe)]));
    }

    private static string Describe(ControlEvent outcome) => outcome switch
    {
        TaskSucceeded s => $"Task {s.ToTaskMessage()} succeeded (committed attempt {s.CommittedAttemptId}{(s.Duplicate ? ", by an earlier delivery" : "")})",
        TaskFailed f => $"Task {f.ToTaskMessage()} failed: {f.Error.Type}: {f.Error.Message}",
        _ => $"Event {outcome.GetType().Name} for job {outcome.JobId}",
    };
}

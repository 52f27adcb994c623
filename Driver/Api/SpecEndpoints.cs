using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.Driver.Submission;

namespace Spark.Serverless.Driver.Api;

/// <summary>The answer to <c>POST /api/specs/validate</c>.</summary>
/// <param name="Valid">Whether the spec would be accepted (it parses, compiles and builds; inputs are not listed).</param>
/// <param name="Problems">Every problem, each with its step, field and line in the submitted text when known.</param>
public sealed record ValidationView(bool Valid, IReadOnlyList<SpecProblem> Problems);

/// <summary><c>POST /api/specs/validate</c>: what the submit page calls as the user types.</summary>
public static class SpecEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapSpecs(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/specs/validate", ValidateAsync).WithTags("Jobs")
            .WithSummary("Parse, compile and build a JSON spec without running it; problems come with their line")
            .WithDescription("The body is a JSON spec, as POST /api/jobs takes it.").Produces<ValidationView>().Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    private static async Task<IResult> ValidateAsync(HttpRequest request, JobSubmitter submitter, IOptions<DriverOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
            return Results.Json(new ErrorResponse($"The request body is larger than the limit of {options.Value.MaxRequestBytes} bytes (Driver:MaxRequestBytes)."), statusCode: StatusCodes.Status413PayloadTooLarge);
        try
        {
            await submitter.ValidateSpecAsync(body.Value, cancellationToken).ConfigureAwait(false);
            return Results.Json(new ValidationView(true, []), SparkJson.Options);
        }
        catch (SpecException e)
        {
            var locator = SpecLocator.For(body.Value);
            return Results.Json(new ValidationView(false, [.. e.Problems.Select(locator.Locate)]), SparkJson.Options);
        }
    }
}

using Spark.Serverless.Configuration;
using Spark.Serverless.Driver;
using Spark.Serverless.Driver.Api;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Functions;
using Spark.Serverless.Driver.Security;
using Spark.Serverless.Driver.Ui;
using Spark.Serverless.Functions;
using Spark.Serverless.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureSparkHost(args);
// Run by an Azure Functions host (custom handler): it delivers the control events, so no control loop of our own,
// and it forwards the API's requests (having checked their keys itself) to the port it chose, on loopback.
int? handlerPort = CustomHandler.Port();
if (handlerPort is not null) builder.Configuration[$"{DriverOptions.Section}:{nameof(DriverOptions.Orchestrate)}"] = "false";
// Request-by-request framework logs drown the job's own; keep them for warnings.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddDriver(builder.Configuration);
builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Spark.Serverless driver API";
    document.Info.Description = $"Keys go in the {ApiKeyMiddleware.Header} header or the ?{ApiKeyMiddleware.Query}= parameter when the driver has any.";
    return Task.CompletedTask;
}));
var driverOptions = builder.Configuration.GetSection(DriverOptions.Section).Get<DriverOptions>() ?? new DriverOptions();
var urls = handlerPort is int port ? CustomHandler.Url(port) : driverOptions.Urls;
ApiKeys keys;
try
{
    keys = new ApiKeys(driverOptions.ApiKeys, urls);
}
catch (InvalidOperationException e)
{
    // A configuration mistake: one line that says which setting, not a stack trace.
    Console.Error.WriteLine($"driver: {e.Message}");
    return 2;
}
builder.Services.AddSingleton(keys);
builder.WebHost.UseUrls(urls);
// The endpoints enforce their own, smaller limits with a clear message; Kestrel's only backs them up.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Math.Max(driverOptions.MaxUploadBytes, driverOptions.MaxAssemblyBytes) + (1 << 20));

var app = builder.Build();
var storage = app.Services.GetRequiredService<SparkStorage>();
await storage.EnsureCreatedAsync();
// The first Roslyn compile takes over a second; pay it now rather than in the first user's request.
_ = Task.Run(SpecCompiler.WarmUp);

app.UseMiddleware<ApiKeyMiddleware>();
app.MapGet("/health", () => Results.Json(new { status = "ok" })).WithTags("Health").WithSummary("Whether the driver is up (no key needed)");
app.MapOpenApi();
app.MapJobs();
app.MapSpecs();
app.MapFiles();
app.MapCluster();
app.MapUi();
if (handlerPort is not null) app.MapOrchestrationTriggers();
app.Lifetime.ApplicationStarted.Register(() => Logs.Listening(app.Logger, string.Join(", ", app.Urls), storage.Options.Container, keys.Required));
await app.RunAsync();
return 0;

using Spark.Serverless.Configuration;
using Spark.Serverless.Driver;
using Spark.Serverless.Driver.Api;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Functions;
using Spark.Serverless.Functions;
using Spark.Serverless.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureSparkHost(args);
// Run by an Azure Functions host (custom handler): it delivers the control events, so no control loop of our own,
// and it forwards the API's requests to the port it chose.
int? handlerPort = CustomHandler.Port();
if (handlerPort is not null) builder.Configuration[$"{DriverOptions.Section}:{nameof(DriverOptions.Orchestrate)}"] = "false";
// Request-by-request framework logs drown the job's own; keep them for warnings.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddDriver(builder.Configuration);
var urls = handlerPort is int port ? CustomHandler.Url(port) : builder.Configuration.GetSection(DriverOptions.Section).Get<DriverOptions>()?.Urls ?? new DriverOptions().Urls;
builder.WebHost.UseUrls(urls);
// The endpoints enforce their own, smaller limits with a clear message; Kestrel's only backs them up.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1L << 30);

var app = builder.Build();
var storage = app.Services.GetRequiredService<SparkStorage>();
await storage.EnsureCreatedAsync();
// The first Roslyn compile takes over a second; pay it now rather than in the first user's request.
_ = Task.Run(SpecCompiler.WarmUp);

app.MapGet("/health", () => Results.Json(new { status = "ok" }));
app.MapJobs();
app.MapCluster();
if (handlerPort is not null) app.MapOrchestrationTriggers();
app.Lifetime.ApplicationStarted.Register(() => Logs.Listening(app.Logger, string.Join(", ", app.Urls), storage.Options.Container));
await app.RunAsync();

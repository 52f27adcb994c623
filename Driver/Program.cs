using Spark.Serverless.Configuration;
using Spark.Serverless.Driver;
using Spark.Serverless.Driver.Api;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureSparkHost(args);
// Request-by-request framework logs drown the job's own; keep them for warnings.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddDriver(builder.Configuration);
var urls = builder.Configuration.GetSection(DriverOptions.Section).Get<DriverOptions>()?.Urls ?? new DriverOptions().Urls;
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
app.Lifetime.ApplicationStarted.Register(() => Logs.Listening(app.Logger, string.Join(", ", app.Urls), storage.Options.Container));
await app.RunAsync();

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spark.Serverless.Configuration;
using Spark.Serverless.Executor;
using Spark.Serverless.Executor.Functions;
using Spark.Serverless.Executor.Logging;
using Spark.Serverless.Functions;
using Spark.Serverless.Storage;

// What task code prints goes to its task's log too.
TaskConsoleWriter.Install();

// Run by an Azure Functions host (custom handler): serve its invocations. Otherwise: receive from the queue ourselves.
if (CustomHandler.Port() is int port)
{
    var web = WebApplication.CreateBuilder(args);
    web.ConfigureSparkHost(args);
    web.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    web.Services.AddExecutor(web.Configuration, listen: false);
    web.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DrainTimeout(web.Configuration));
    web.WebHost.UseUrls(CustomHandler.Url(port));
    var app = web.Build();
    await app.Services.GetRequiredService<SparkStorage>().EnsureCreatedAsync();
    app.MapGet("/health", () => Results.Json(new { status = "ok" }));
    app.MapTaskTrigger();
    await app.RunAsync();
    return;
}

var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureSparkHost(args);
builder.Services.AddExecutor(builder.Configuration);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = DrainTimeout(builder.Configuration));

using var host = builder.Build();
await host.Services.GetRequiredService<SparkStorage>().EnsureCreatedAsync();
await host.RunAsync();

// SIGTERM stops receiving; running tasks get this long to finish before the host gives up on them.
static TimeSpan DrainTimeout(IConfiguration configuration) =>
    TimeSpan.FromSeconds(configuration.GetSection(ExecutorOptions.Section).Get<ExecutorOptions>()?.DrainTimeoutSeconds ?? 600);

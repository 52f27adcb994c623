using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spark.Serverless.Configuration;
using Spark.Serverless.Executor;
using Spark.Serverless.Storage;

var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureSparkHost(args);
builder.Services.AddExecutor(builder.Configuration);
var drain = builder.Configuration.GetSection(ExecutorOptions.Section).Get<ExecutorOptions>()?.DrainTimeoutSeconds ?? 600;
// SIGTERM stops receiving; running tasks get this long to finish before the host gives up on them.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(drain));

using var host = builder.Build();
await host.Services.GetRequiredService<SparkStorage>().EnsureCreatedAsync();
await host.RunAsync();

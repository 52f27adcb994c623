using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spark.Serverless.Cluster;
using Spark.Serverless.Configuration;
using Spark.Serverless.Manager;
using Spark.Serverless.Manager.Scaling;
using Spark.Serverless.Storage;

var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureSparkHost(args);
builder.Services.AddSparkStorage(builder.Configuration);
builder.Services.AddValidatedOptions<ManagerOptions>(builder.Configuration, ManagerOptions.Section, o => o.Validate());
var stopTimeout = builder.Configuration.GetSection(ManagerOptions.Section).Get<ManagerOptions>()?.StopTimeoutSeconds ?? 60;
// Stopping the manager waits for its executors to drain.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(stopTimeout + 5));
builder.Services.AddSingleton<ExecutorRegistry>();
builder.Services.AddSingleton<ScaleHistory>();
builder.Services.AddHostedService<ScaleController>();

using var host = builder.Build();
// The manager reads the task queue before any driver or executor may have created it.
await host.Services.GetRequiredService<SparkStorage>().EnsureCreatedAsync();
await host.RunAsync();

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Spark.Serverless.Cluster;
using Spark.Serverless.Configuration;
using Microsoft.Extensions.Logging;
using Spark.Serverless.Executor.Cluster;
using Spark.Serverless.Executor.Logging;
using Spark.Serverless.Executor.Queue;
using Spark.Serverless.Executor.Runtime;

namespace Spark.Serverless.Executor;

/// <summary>Registers the executor's services.</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the executor's options, storage, task runner and heartbeat, and, unless a Functions host delivers the
    /// task messages (<paramref name="listen"/> false), its own queue listener. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddExecutor(this IServiceCollection services, IConfiguration configuration, bool listen = true)
    {
        services.AddSparkStorage(configuration);
        services.AddValidatedOptions<ExecutorOptions>(configuration, ExecutorOptions.Section, o => o.Validate());
        services.TryAddSingleton<JobRuntimeCache>();
        services.TryAddSingleton<ExecutorRegistry>();
        services.TryAddSingleton<RunningTasks>();
        services.TryAddSingleton<TaskRunner>();
        services.TryAddSingleton<TaskDispatcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, TaskLogProvider>());
        // Hosted services stop in reverse order: the heartbeat, registered first, stops after the listener has drained.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HeartbeatService>());
        if (listen) services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueTaskListener>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RuntimeSweeper>());
        return services;
    }
}

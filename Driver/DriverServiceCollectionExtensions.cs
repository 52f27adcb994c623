using Microsoft.Extensions.DependencyInjection.Extensions;
using Spark.Serverless.Cluster;
using Spark.Serverless.Configuration;
using Spark.Serverless.Driver.Commit;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Driver.Security;
using Spark.Serverless.Driver.Submission;

namespace Spark.Serverless.Driver;

/// <summary>Registers the driver's services.</summary>
public static class DriverServiceCollectionExtensions
{
    /// <summary>Adds the driver's options, storage, submission, orchestration and its control loop. Safe to call twice.</summary>
    public static IServiceCollection AddDriver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSparkStorage(configuration);
        services.AddValidatedOptions<DriverOptions>(configuration, DriverOptions.Section, o => o.Validate());
        services.TryAddSingleton<JobStore>();
        services.TryAddSingleton<ExecutorRegistry>();
        services.TryAddSingleton<CommitMarkers>();
        services.TryAddSingleton<JobCommitter>();
        services.TryAddSingleton<CommandRunner>();
        services.TryAddSingleton<TickSweep>();
        services.TryAddSingleton<ContainerPolicy>();
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<InputLister>();
        services.TryAddSingleton<JobSubmitter>();
        services.TryAddSingleton<ControlSignal>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ControlLoop>());
        return services;
    }
}

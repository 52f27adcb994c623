using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Configuration;

/// <summary>What every Spark.Serverless host sets up the same way: settings, logs, storage and validated options.</summary>
public static class SparkHostingExtensions
{
    /// <summary>Reads <c>local.settings.json</c>, the environment and the command line, and logs one line per event.</summary>
    public static T ConfigureSparkHost<T>(this T builder, string[] args) where T : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddSparkSettings();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.ClearProviders();
        string format = builder.Configuration[$"{SparkOptions.Section}:{nameof(SparkOptions.LogFormat)}"] ?? "text";
        if (format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line, with the scopes (job, stage, partition, attempt ids) as fields: for log search.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        return builder;
    }

    /// <summary>Registers the storage options (validated now, so a bad setting stops start-up), the storage clients and the clock.</summary>
    public static IServiceCollection AddSparkStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSparkOptions();
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new SparkStorage(sp.GetRequiredService<SparkOptions>()));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Binds an options section and runs its <paramref name="validate"/> at start-up.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section, Action<TOptions> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).Validate(o =>
        {
            validate(o);
            return true;
        }).ValidateOnStart();
        return services;
    }
}

namespace Spark.Serverless.Storage;

/// <summary>
/// Where the platform keeps its state: the storage account and the names of its container and queues.
/// Bound from configuration (<c>AzureWebJobsStorage</c> and the <c>Spark</c> section).
/// </summary>
public sealed class SparkOptions
{
    /// <summary>The configuration section that holds these options.</summary>
    public const string Section = "Spark";

    /// <summary>The setting that holds the storage connection string: Azure Functions' own, so one setting serves both.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    /// <summary>The storage connection string.</summary>
    /// <value>Read from <c>AzureWebJobsStorage</c>, as Azure Functions does; default <c>UseDevelopmentStorage=true</c> (Azurite's default ports).</value>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The container of the platform's own state (jobs, executors, manager history).</summary>
    /// <value>Default <c>spark</c>.</value>
    public string Container { get; set; } = "spark";

    /// <summary>The queue of task messages that executors receive.</summary>
    /// <value>Default <c>spark-tasks</c>.</value>
    public string TaskQueue { get; set; } = "spark-tasks";

    /// <summary>The queue of events for the driver's orchestration.</summary>
    /// <value>Default <c>spark-control</c>.</value>
    public string ControlQueue { get; set; } = "spark-control";

    /// <summary>The queue that receives task messages delivered too often.</summary>
    /// <value>Default <c>spark-tasks-poison</c>.</value>
    public string PoisonQueue { get; set; } = "spark-tasks-poison";

    /// <summary>How long an executor may go without a heartbeat before managers and drivers treat it as lost (and drivers rerun its tasks).</summary>
    /// <value>Default 15 seconds.</value>
    public int ExecutorHeartbeatTimeoutSeconds { get; set; } = 15;

    /// <summary>How every host writes its log: <c>text</c> (one readable line per event) or <c>json</c> (one JSON object per line, with the job, stage, partition and attempt ids of task events as fields).</summary>
    /// <value>Default <c>text</c>.</value>
    public string LogFormat { get; set; } = "text";

    /// <summary>A chaos switch: the share of storage requests to fail (half 503, half timeouts), retried like real failures.</summary>
    /// <value>Default 0 (off). Tests and soaks set it; production never should.</value>
    public double FaultInjectionRate { get; set; }

    /// <summary>Checks every field and names the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A field is empty or not a valid container or queue name.</exception>
    public void Validate()
    {
        if (LogFormat is not ("text" or "json"))
            throw new InvalidOperationException($"Spark:LogFormat is '{LogFormat}'; expected text or json.");
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException("AzureWebJobsStorage (the storage connection string) is empty.");
        if (FaultInjectionRate is < 0 or > 0.5)
            throw new InvalidOperationException($"Spark:FaultInjectionRate is {FaultInjectionRate}; expected 0 to 0.5.");
        if (ExecutorHeartbeatTimeoutSeconds < 1)
            throw new InvalidOperationException($"Spark:ExecutorHeartbeatTimeoutSeconds is {ExecutorHeartbeatTimeoutSeconds}; expected 1 or more.");
        CheckName(nameof(Container), Container);
        CheckName(nameof(TaskQueue), TaskQueue);
        CheckName(nameof(ControlQueue), ControlQueue);
        CheckName(nameof(PoisonQueue), PoisonQueue);
    }

    private static void CheckName(string field, string value)
    {
        // Containers and queues share Azure's naming rule, so one check serves both.
        if (!Spark.Serverless.IO.BlobPath.IsValidContainerName(value))
            throw new InvalidOperationException($"Spark:{field} '{value}' is not a valid container or queue name (3-63 lowercase letters, digits and single hyphens).");
    }
}

namespace Spark.Serverless.Executor;

/// <summary>The executor's settings (configuration section <c>Executor</c>; environment <c>Executor__Name</c>).</summary>
public sealed class ExecutorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Executor";

    /// <summary>This executor's id in events, commit markers and logs.</summary>
    /// <value>Default <c>{machine}-{process id}</c>.</value>
    public string Id { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";

    /// <summary>The manager that started this executor, recorded in its heartbeat.</summary>
    /// <value>Set by the manager; null for an executor started by hand.</value>
    public string? ManagerId { get; set; }

    /// <summary>How often the executor writes its heartbeat.</summary>
    /// <value>Default 3 seconds.</value>
    public int HeartbeatIntervalSeconds { get; set; } = 3;

    /// <summary>Tasks run at once (Spark's <c>spark.executor.cores</c>).</summary>
    /// <value>Default: the machine's core count.</value>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a received task message stays invisible; renewed every third of it while the task runs.</summary>
    /// <value>Default 30 seconds.</value>
    public int VisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>The wait after an empty receive when the queue was just busy; it doubles while the queue stays empty.</summary>
    /// <value>Default 10 ms.</value>
    public int MinPollIntervalMs { get; set; } = 10;

    /// <summary>
    /// The longest wait between receives of an empty task queue: the dispatch latency of a warm, idle executor.
    /// One receive loop per executor polls, so an idle executor costs 1000 / this requests a second until the
    /// manager's idle timeout stops it.
    /// </summary>
    /// <value>Default 20 ms (dispatch p50 measured 17-23 ms at 30 ms; the target is 20 ms).</value>
    public int MaxPollIntervalMs { get; set; } = 20;

    /// <summary>Deliveries of one task message before it goes to the poison queue and its task fails.</summary>
    /// <value>Default 5, as the Functions queue trigger's <c>maxDequeueCount</c>.</value>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a stopping executor (SIGTERM) lets its running tasks finish.</summary>
    /// <value>Default 600 seconds.</value>
    public int DrainTimeoutSeconds { get; set; } = 600;

    /// <summary>Memory the executor's tasks may hold for sorts, groupings, joins and shuffle buffers, shared equally by its slots; past it they spill to disk.</summary>
    /// <value>Default 1 GiB.</value>
    public long MemoryBudgetBytes { get; set; } = 1L << 30;

    /// <summary>Where tasks spill; each executor uses its own subfolder and empties it when it starts and stops.</summary>
    /// <value>Default: the system temp folder.</value>
    public string SpillDirectory { get; set; } = Path.GetTempPath();

    /// <summary>How often the executor checks whether the jobs it holds applications for have ended, to unload them.</summary>
    /// <value>Default 5 seconds.</value>
    public int JobCheckIntervalSeconds { get; set; } = 5;

    /// <summary>The memory budget of one task.</summary>
    public long TaskMemoryBudgetBytes => Math.Max(1, MemoryBudgetBytes / Slots);

    /// <summary>This executor's own spill folder.</summary>
    public string ExecutorSpillDirectory => Path.Combine(SpillDirectory, "spark-spill", Id);

    /// <summary>How long a job's loaded application stays cached after its last task.</summary>
    /// <value>Default 300 seconds.</value>
    public int AppIdleSeconds { get; set; } = 300;

    /// <summary>Checks every field and names the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A field is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > 128) Fail(nameof(Id), Id, "1 to 128 characters");
        if (Slots is < 1 or > 256) Fail(nameof(Slots), Slots, "1 to 256");
        if (VisibilityTimeoutSeconds is < 3 or > 3600) Fail(nameof(VisibilityTimeoutSeconds), VisibilityTimeoutSeconds, "3 to 3600");
        if (MinPollIntervalMs < 1 || MaxPollIntervalMs < MinPollIntervalMs) Fail(nameof(MaxPollIntervalMs), MaxPollIntervalMs, $"at least MinPollIntervalMs ({MinPollIntervalMs}), which must be at least 1");
        if (MaxDequeueCount is < 1 or > 1000) Fail(nameof(MaxDequeueCount), MaxDequeueCount, "1 to 1000");
        if (DrainTimeoutSeconds < 0) Fail(nameof(DrainTimeoutSeconds), DrainTimeoutSeconds, "0 or more");
        if (AppIdleSeconds < 1) Fail(nameof(AppIdleSeconds), AppIdleSeconds, "1 or more");
        if (MemoryBudgetBytes < 1024) Fail(nameof(MemoryBudgetBytes), MemoryBudgetBytes, "at least 1024");
        if (string.IsNullOrWhiteSpace(SpillDirectory)) Fail(nameof(SpillDirectory), SpillDirectory, "a folder");
        if (HeartbeatIntervalSeconds < 1) Fail(nameof(HeartbeatIntervalSeconds), HeartbeatIntervalSeconds, "1 or more");
        if (JobCheckIntervalSeconds < 1) Fail(nameof(JobCheckIntervalSeconds), JobCheckIntervalSeconds, "1 or more");
    }

    private static void Fail(string field, object value, string expected) =>
        throw new InvalidOperationException($"Executor:{field} is {value}; expected {expected}.");
}

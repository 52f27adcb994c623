namespace Spark.Serverless.Driver;

/// <summary>The driver's settings (configuration section <c>Driver</c>; environment <c>Driver__Name</c>).</summary>
public sealed class DriverOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Driver";

    /// <summary>Where the HTTP API listens.</summary>
    /// <value>Default <c>http://127.0.0.1:7071</c> (loopback only, the Functions host's port).</value>
    public string Urls { get; set; } = "http://127.0.0.1:7071";

    /// <summary>
    /// Keys the API accepts in <c>x-functions-key</c> or <c>?code=</c>, comma-separated, each at least 16 characters.
    /// When any is set every <c>/api</c> request needs one; the driver refuses to listen beyond loopback without any.
    /// </summary>
    /// <value>Default empty: no keys, loopback only.</value>
    public string ApiKeys { get; set; } = "";

    /// <summary>
    /// The blob containers jobs may read and write and the file API may touch, comma-separated; empty allows every
    /// container but the platform's own (<c>Spark:Container</c>), which is never allowed.
    /// </summary>
    /// <value>Default empty.</value>
    public string AllowedContainers { get; set; } = "";

    /// <summary>The largest file uploaded through <c>PUT /api/files/...</c>.</summary>
    /// <value>Default 1 GiB.</value>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>The largest request body accepted.</summary>
    /// <value>Default 1 MiB.</value>
    public int MaxRequestBytes { get; set; } = 1 << 20;

    /// <summary>The largest assembly upload (the application and its dependencies together).</summary>
    /// <value>Default 64 MiB.</value>
    public int MaxAssemblyBytes { get; set; } = 64 << 20;

    /// <summary>Reduce partitions of a shuffle when neither the step nor the spec's settings name a count.</summary>
    /// <value>Default 8.</value>
    public int DefaultShufflePartitions { get; set; } = 8;

    /// <summary>Failures of one task before its job fails, unless the spec sets <c>maxTaskFailures</c>.</summary>
    /// <value>Default 4, as Spark's <c>spark.task.maxFailures</c>.</value>
    public int MaxTaskFailures { get; set; } = 4;

    /// <summary>The largest input split, unless the spec sets <c>maxSplitBytes</c>.</summary>
    /// <value>Default 64 MiB.</value>
    public long MaxSplitBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The most task messages a job has out at once (queued or running); its other tasks wait in the driver. This
    /// also caps how many of one job's tasks run at the same time, so a pool with more slots than this wants it higher.
    /// </summary>
    /// <value>Default 64: Azurite's cost per queue request grows with the messages it holds.</value>
    public int MaxQueuedTasks { get; set; } = 64;

    /// <summary>
    /// Milliseconds of work to put in one task message once a stage's tasks prove short (a few milliseconds each,
    /// where sending, receiving, deleting and reporting a message costs more than the task); 0 sends every task alone.
    /// </summary>
    /// <value>Default 100.</value>
    public int TaskBundleMs { get; set; } = 100;

    /// <summary>Whether this instance runs the orchestration (the control-queue loop) besides the API.</summary>
    /// <value>Default true. False makes an API-only instance: it accepts and reports jobs; other instances run them.</value>
    public bool Orchestrate { get; set; } = true;

    /// <summary>Control messages taken per receive.</summary>
    /// <value>Default 32 (the queue service's maximum).</value>
    public int ControlBatchSize { get; set; } = 32;

    /// <summary>How long a received control message stays invisible to other drivers while it is processed.</summary>
    /// <value>Default 60 seconds.</value>
    public int ControlVisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>The wait after an empty receive when the queue was just busy; it doubles while the queue stays empty.</summary>
    /// <value>Default 10 ms.</value>
    public int MinPollIntervalMs { get; set; } = 10;

    /// <summary>The longest wait between receives of an empty control queue.</summary>
    /// <value>Default 100 ms: a job's next step waits at most this long for a task's report.</value>
    public int MaxPollIntervalMs { get; set; } = 100;

    /// <summary>A test switch: send every task message twice, to prove that at-least-once delivery gives exactly-once output.</summary>
    /// <value>Default false.</value>
    public bool DuplicateTaskMessages { get; set; }

    /// <summary>A test switch: kill this driver (SIGKILL itself) in the middle of a job commit, after the parts are copied and before <c>_SUCCESS</c>.</summary>
    /// <value>Default false.</value>
    public bool KillDuringCommit { get; set; }

    /// <summary>
    /// A test switch: kill this driver (SIGKILL itself) when it is about to delete an ended job's temporary files,
    /// after the job's end is recorded.
    /// </summary>
    /// <value>Default false.</value>
    public bool KillBeforeCleanup { get; set; }

    /// <summary>How often a running job looks for tasks of executors that died or stopped heartbeating.</summary>
    /// <value>Default 5 seconds.</value>
    public int LostTaskCheckSeconds { get; set; } = 5;

    /// <summary>How long after a job ends its temporary files are removed a second time.</summary>
    /// <value>Default 30 seconds.</value>
    public int CleanupDelaySeconds { get; set; } = 30;

    /// <summary>Checks every field and names the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A field is out of range.</exception>
    public void Validate()
    {
        if (!Uri.TryCreate(Urls.Split(';')[0], UriKind.Absolute, out _)) Fail(nameof(Urls), Urls, "an absolute URL such as http://127.0.0.1:7071");
        if (MaxRequestBytes < 1024) Fail(nameof(MaxRequestBytes), MaxRequestBytes, "at least 1024");
        if (MaxAssemblyBytes < 1024) Fail(nameof(MaxAssemblyBytes), MaxAssemblyBytes, "at least 1024");
        if (MaxUploadBytes < 1024) Fail(nameof(MaxUploadBytes), MaxUploadBytes, "at least 1024");
        foreach (string container in ContainerList(AllowedContainers))
            if (!IO.BlobPath.IsValidContainerName(container)) Fail(nameof(AllowedContainers), AllowedContainers, "container names (3-63 lowercase letters, digits and single hyphens), comma-separated");
        if (DefaultShufflePartitions is < 1 or > 100_000) Fail(nameof(DefaultShufflePartitions), DefaultShufflePartitions, "1 to 100000");
        if (MaxTaskFailures is < 1 or > 100) Fail(nameof(MaxTaskFailures), MaxTaskFailures, "1 to 100");
        if (MaxSplitBytes < 1024) Fail(nameof(MaxSplitBytes), MaxSplitBytes, "at least 1024");
        if (MaxQueuedTasks is < 1 or > 100_000) Fail(nameof(MaxQueuedTasks), MaxQueuedTasks, "1 to 100000");
        if (TaskBundleMs is < 0 or > 60_000) Fail(nameof(TaskBundleMs), TaskBundleMs, "0 to 60000");
        if (ControlBatchSize is < 1 or > 32) Fail(nameof(ControlBatchSize), ControlBatchSize, "1 to 32");
        if (ControlVisibilityTimeoutSeconds is < 5 or > 3600) Fail(nameof(ControlVisibilityTimeoutSeconds), ControlVisibilityTimeoutSeconds, "5 to 3600");
        if (LostTaskCheckSeconds < 1) Fail(nameof(LostTaskCheckSeconds), LostTaskCheckSeconds, "1 or more");
        if (CleanupDelaySeconds < 0) Fail(nameof(CleanupDelaySeconds), CleanupDelaySeconds, "0 or more");
        if (MinPollIntervalMs < 1 || MaxPollIntervalMs < MinPollIntervalMs) Fail(nameof(MaxPollIntervalMs), MaxPollIntervalMs, $"at least MinPollIntervalMs ({MinPollIntervalMs}), which must be at least 1");
    }

    /// <summary>The names in a comma-separated list.</summary>
    public static IReadOnlyList<string> ContainerList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Fail(string field, object value, string expected) =>
        throw new InvalidOperationException($"Driver:{field} is {value}; expected {expected}.");
}

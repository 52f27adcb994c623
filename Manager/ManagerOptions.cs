using Spark.Serverless.Manager.Scaling;

namespace Spark.Serverless.Manager;

/// <summary>The manager's settings (configuration section <c>Manager</c>; environment <c>Manager__Name</c>): Spark's dynamic-allocation knobs.</summary>
public sealed class ManagerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Manager";

    /// <summary>This manager's id; its executors are named after it.</summary>
    /// <value>Default <c>mgr-{process id}</c>.</value>
    public string Id { get; set; } = $"mgr-{Environment.ProcessId}";

    /// <summary>The fewest executors to keep (<c>spark.dynamicAllocation.minExecutors</c>); 0 scales to zero.</summary>
    /// <value>Default 0.</value>
    public int MinExecutors { get; set; }

    /// <summary>The most executors (<c>spark.dynamicAllocation.maxExecutors</c>).</summary>
    /// <value>Default 4.</value>
    public int MaxExecutors { get; set; } = 4;

    /// <summary>How long tasks must wait before the first executors are added (<c>schedulerBacklogTimeout</c>).</summary>
    /// <value>Default 1 second.</value>
    public double SchedulerBacklogTimeoutSeconds { get; set; } = 1;

    /// <summary>How long a continuing backlog waits between further, doubling additions (<c>sustainedSchedulerBacklogTimeout</c>).</summary>
    /// <value>Default 1 second.</value>
    public double SustainedSchedulerBacklogTimeoutSeconds { get; set; } = 1;

    /// <summary>How long an executor may sit idle before it is stopped (<c>executorIdleTimeout</c>).</summary>
    /// <value>Default 60 seconds.</value>
    public double ExecutorIdleTimeoutSeconds { get; set; } = 60;

    /// <summary>Tasks each executor runs at once; passed to it as <c>Executor__Slots</c>.</summary>
    /// <value>Default 2.</value>
    public int SlotsPerExecutor { get; set; } = 2;

    /// <summary>How often the manager looks at the queue and the pool: a backlog is acted on within this of its timeout.</summary>
    /// <value>Default 250 ms.</value>
    public int PollIntervalMs { get; set; } = 250;

    /// <summary>The executor to start: its <c>.dll</c> (run with <c>dotnet</c>) or an executable.</summary>
    /// <value>Default: <c>Spark.Serverless.ExecutorFunction.dll</c> next to the manager's own build output.</value>
    public string? ExecutorPath { get; set; }

    /// <summary>How long a stopping executor may drain before it is killed.</summary>
    /// <value>Default 60 seconds.</value>
    public int StopTimeoutSeconds { get; set; } = 60;

    /// <summary>The knobs as the scale rule takes them.</summary>
    public ScaleKnobs Knobs => new(MinExecutors, MaxExecutors, TimeSpan.FromSeconds(SchedulerBacklogTimeoutSeconds),
        TimeSpan.FromSeconds(SustainedSchedulerBacklogTimeoutSeconds), TimeSpan.FromSeconds(ExecutorIdleTimeoutSeconds), SlotsPerExecutor);

    /// <summary>Checks every field and names the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A field is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id)) Fail(nameof(Id), Id, "a name");
        if (MinExecutors is < 0 or > 256) Fail(nameof(MinExecutors), MinExecutors, "0 to 256");
        if (MaxExecutors < Math.Max(1, MinExecutors) || MaxExecutors > 256) Fail(nameof(MaxExecutors), MaxExecutors, $"1 to 256 and at least MinExecutors ({MinExecutors})");
        if (SchedulerBacklogTimeoutSeconds < 0) Fail(nameof(SchedulerBacklogTimeoutSeconds), SchedulerBacklogTimeoutSeconds, "0 or more");
        if (SustainedSchedulerBacklogTimeoutSeconds < 0) Fail(nameof(SustainedSchedulerBacklogTimeoutSeconds), SustainedSchedulerBacklogTimeoutSeconds, "0 or more");
        if (ExecutorIdleTimeoutSeconds < 0) Fail(nameof(ExecutorIdleTimeoutSeconds), ExecutorIdleTimeoutSeconds, "0 or more");
        if (SlotsPerExecutor is < 1 or > 256) Fail(nameof(SlotsPerExecutor), SlotsPerExecutor, "1 to 256");
        if (PollIntervalMs < 10) Fail(nameof(PollIntervalMs), PollIntervalMs, "10 or more");
        if (StopTimeoutSeconds < 0) Fail(nameof(StopTimeoutSeconds), StopTimeoutSeconds, "0 or more");
        if (ExecutorPath is not null && !File.Exists(ExecutorPath)) Fail(nameof(ExecutorPath), ExecutorPath, "an existing file");
    }

    /// <summary>The executor path, defaulted to the sibling build output.</summary>
    /// <exception cref="InvalidOperationException">No executor is found.</exception>
    public string ResolveExecutorPath()
    {
        if (ExecutorPath is not null) return ExecutorPath;
        // artifacts/bin/Spark.Serverless.Manager/<config>/ -> artifacts/bin/Spark.Serverless.ExecutorFunction/<config>/
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string candidate = Path.Combine(own.Parent!.Parent!.FullName, "Spark.Serverless.ExecutorFunction", own.Name, "Spark.Serverless.ExecutorFunction.dll");
        return File.Exists(candidate) ? candidate
            : throw new InvalidOperationException($"No executor at {candidate}; build it or set Manager:ExecutorPath.");
    }

    private static void Fail(string field, object? value, string expected) =>
        throw new InvalidOperationException($"Manager:{field} is {value}; expected {expected}.");
}

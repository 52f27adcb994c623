namespace Spark.Serverless.Bench.Harness;

/// <summary>Everything one benchmark run measured; serialized as the machine-readable result file.</summary>
internal sealed record BenchResults
{
    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The command that produced the figures.</summary>
    public required string Command { get; init; }

    /// <summary>Input bytes per workload.</summary>
    public required long BytesPerWorkload { get; init; }

    /// <summary>The machine: cores, memory, OS.</summary>
    public required string Machine { get; init; }

    /// <summary>How the platform ran: executors, slots, settings.</summary>
    public required string Platform { get; init; }

    /// <summary>The latency and throughput figures, if they were measured.</summary>
    public MicroResults? Micro { get; set; }

    /// <summary>One entry per workload run.</summary>
    public List<WorkloadResult> Workloads { get; } = [];

    /// <summary>How long the whole run took, seconds.</summary>
    public double TotalSeconds { get; set; }
}

/// <summary>A workload's figures: the platform's, each baseline's, and what moved through storage.</summary>
internal sealed record WorkloadResult
{
    /// <summary>WordCount, Sort, Q1 or Join.</summary>
    public required string Name { get; init; }

    /// <summary>Bytes of input.</summary>
    public required long InputBytes { get; init; }

    /// <summary>Seconds to upload the input to storage (not part of the job's time).</summary>
    public double UploadSeconds { get; init; }

    /// <summary>The platform's job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The client's submit to the completion time the driver recorded, seconds: the median of the rounds.</summary>
    public required double PlatformSeconds { get; init; }

    /// <summary>The tuned single-process C# baseline's seconds: the median of the rounds.</summary>
    public required double BaselineSeconds { get; init; }

    /// <summary>The platform's seconds in each round, in order; <see cref="PlatformSeconds"/> is their median.</summary>
    public IReadOnlyList<double> PlatformRuns { get; init; } = [];

    /// <summary>The C# baseline's seconds in each round, in order; <see cref="BaselineSeconds"/> is their median.</summary>
    public IReadOnlyList<double> BaselineRuns { get; init; } = [];

    /// <summary>The outside tool's name (GNU sort, sqlite3), if one fits.</summary>
    public string? ToolName { get; init; }

    /// <summary>The outside tool's seconds.</summary>
    public double? ToolSeconds { get; init; }

    /// <summary>Platform time over baseline time.</summary>
    public double RatioToBaseline => PlatformSeconds / BaselineSeconds;

    /// <summary>Platform time over the outside tool's.</summary>
    public double? RatioToTool => ToolSeconds is { } t ? PlatformSeconds / t : null;

    /// <summary>Input megabytes per second per core of the machine, on the platform.</summary>
    public required double MegabytesPerSecondPerCore { get; init; }

    /// <summary>Bytes the tasks read from and wrote to storage.</summary>
    public required long StorageBytes { get; init; }

    /// <summary>The least a shuffle engine must move: input, shuffle written and read back, output.</summary>
    public required long FloorBytes { get; init; }

    /// <summary>How the floor is made up, in words.</summary>
    public required string Floor { get; init; }

    /// <summary>Storage bytes over the floor.</summary>
    public double StorageOverFloor => (double)StorageBytes / FloorBytes;

    /// <summary>Shuffle bytes written (after map-side combining and compression).</summary>
    public required long ShuffleBytes { get; init; }

    /// <summary>Storage requests the tasks made.</summary>
    public required long StorageRequests { get; init; }

    /// <summary>Tasks run (committed).</summary>
    public required int Tasks { get; init; }

    /// <summary>The highest executor peak resident set seen by any task, bytes.</summary>
    public required long ExecutorPeakRssBytes { get; init; }

    /// <summary>The largest input partition (split) a map task read, bytes.</summary>
    public required long PartitionBytes { get; init; }

    /// <summary>Executor peak RSS over the memory its slots' partitions take (slots x partition).</summary>
    public required double RssOverPartitions { get; init; }

    /// <summary>Whether the platform's answer matched the baselines'.</summary>
    public required bool Correct { get; init; }

    /// <summary>Where the time went, stage by stage.</summary>
    public IReadOnlyList<StageResult> Stages { get; init; } = [];
}

/// <summary>One stage of a workload's job: its tasks' time, bytes and memory.</summary>
internal sealed record StageResult
{
    /// <summary>The stage id.</summary>
    public required int Id { get; init; }

    /// <summary>shuffleMap, sample or result.</summary>
    public required string Kind { get; init; }

    /// <summary>Tasks committed.</summary>
    public required int Tasks { get; init; }

    /// <summary>When its first task started, seconds after the spec was posted: gaps between stages show here.</summary>
    public required double StartSeconds { get; init; }

    /// <summary>When its last task ended, seconds after the spec was posted.</summary>
    public required double EndSeconds { get; init; }

    /// <summary>First task start to last task end, seconds.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>The tasks' run times added up, seconds (over the wall time: how many slots were busy on average).</summary>
    public required double TaskSeconds { get; init; }

    /// <summary>The slowest task, seconds.</summary>
    public required double SlowestTaskSeconds { get; init; }

    /// <summary>How long collectors paused the executors while the tasks ran, added up over the tasks, seconds.</summary>
    public required double GcSeconds { get; init; }

    /// <summary>How long the executors spent compiling methods while the tasks ran, added up over the tasks, seconds.</summary>
    public required double JitSeconds { get; init; }

    /// <summary>Bytes the stage's tasks read from storage.</summary>
    public required long BytesIn { get; init; }

    /// <summary>Bytes the stage's tasks wrote to storage.</summary>
    public required long BytesOut { get; init; }

    /// <summary>The highest executor peak RSS any of its tasks saw, bytes.</summary>
    public required long PeakRssBytes { get; init; }
}

/// <summary>The latency and throughput micro-benchmarks.</summary>
internal sealed record MicroResults
{
    /// <summary>No-op tasks completed per second with warm executors: the median of the rounds.</summary>
    public required double NoOpTasksPerSecond { get; init; }

    /// <summary>Each round's no-op tasks per second, in order.</summary>
    public IReadOnlyList<double> NoOpRuns { get; init; } = [];

    /// <summary>Tasks in the no-op job.</summary>
    public required int NoOpTasks { get; init; }

    /// <summary>Enqueue to task start with warm, idle executors, median, ms.</summary>
    public required double DispatchP50Ms { get; init; }

    /// <summary>Enqueue to task start, 99th percentile, ms.</summary>
    public required double DispatchP99Ms { get; init; }

    /// <summary>A trivial job's end-to-end time with warm executors (submit to completed, client's view), median, ms.</summary>
    public required double TrivialJobP50Ms { get; init; }

    /// <summary>The same, 99th percentile, ms.</summary>
    public required double TrivialJobP99Ms { get; init; }

    /// <summary>Submit to the first task running, starting from zero executors, median over the runs, seconds.</summary>
    public required double ZeroToFirstTaskSeconds { get; init; }

    /// <summary>Last task finished to zero executors, median over the runs, seconds.</summary>
    public required double DrainedToZeroSeconds { get; init; }

    /// <summary>The executorIdleTimeout the drain was measured with, seconds.</summary>
    public required double IdleTimeoutSeconds { get; init; }
}

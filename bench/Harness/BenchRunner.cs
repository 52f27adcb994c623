using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Spark.Serverless.Bench.Baselines;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Bench.Harness;

/// <summary>What to run: the input size, which workloads, the pool's shape, and where results go.</summary>
internal sealed record BenchSettings(long Bytes, string DataRoot, string OutFolder, IReadOnlyList<string> Workloads, bool Micro, int Executors, int Slots, string Command)
{
    /// <summary>
    /// How many times each workload's platform job and C# baseline run, alternating; the medians are reported. The
    /// outside tools run once.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Environment variables for the platform's processes (settings such as <c>Executor__MemoryBudgetBytes</c>), on top of the bench's own.</summary>
    public IReadOnlyDictionary<string, string> PlatformSettings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Runs the benchmark: generates (or reuses) the inputs, starts the platform on a private in-memory Azurite,
/// measures the micro-benchmarks, then each workload on the platform and its baselines on the same input.
/// </summary>
internal sealed class BenchRunner(BenchSettings settings, Action<string> say)
{
    private const double IdleTimeoutSeconds = 3;

    /// <summary>Runs everything; returns the results.</summary>
    public async Task<BenchResults> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var data = BenchData.Prepare(settings.DataRoot, settings.Bytes, say);
        var env = new Dictionary<string, string>
        {
            ["Executor__Slots"] = settings.Slots.ToString(CultureInfo.InvariantCulture),
            ["Manager__SlotsPerExecutor"] = settings.Slots.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings.PlatformSettings) env[key] = value;
        var results = new BenchResults
        {
            StartedAt = DateTimeOffset.UtcNow,
            Command = settings.Command,
            BytesPerWorkload = settings.Bytes,
            Machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            Platform = $"Azurite in memory; driver; {settings.Executors} executors x {settings.Slots} slots (a manager with a fixed pool, fresh for each workload); "
                + (Environment.GetEnvironmentVariable("SPARK_PUBLISHED_HOSTS") is { Length: > 0 } ? "hosts published ReadyToRun (Core JIT-compiled in the driver and executors); " : "hosts from the build output; ")
                + (settings.PlatformSettings.Count == 0 ? "default settings" : "settings " + string.Join(", ", settings.PlatformSettings.Select(p => $"{p.Key}={p.Value}"))),
        };
        say("starting Azurite (in memory) and the driver");
        await using var platform = await Platform.StartAsync(env);
        // Stopped with us even when we are stopped (SIGTERM, Ctrl+C): the platform's processes would outlive us and load the machine.
        using var stopWithUs = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll(platform));
        using var interruptWithUs = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll(platform));
        var client = new BenchClient(platform.Http);
        if (settings.Micro)
        {
            say($"micro: scaling from zero (executorIdleTimeout {IdleTimeoutSeconds} s)");
            var (zeroToFirst, drained) = await Micro.ScaleFromZeroAsync(platform, client, env, IdleTimeoutSeconds, 3, say);
            var pool = await StartPoolAsync(platform, client, env, "pool-micro");
            say("micro: trivial jobs on warm executors");
            var trivial = await Micro.TrivialJobsAsync(client, 31);
            say("micro: no-op tasks");
            const int noOpTasks = 2000;
            var noOpRuns = new List<double>();
            for (int round = 0; round < settings.Rounds; round++) noOpRuns.Add(await Micro.NoOpThroughputAsync(client, noOpTasks));
            double tasksPerSecond = Micro.Median(noOpRuns);
            results.Micro = new MicroResults
            {
                NoOpTasksPerSecond = tasksPerSecond, NoOpTasks = noOpTasks, NoOpRuns = noOpRuns,
                DispatchP50Ms = trivial.DispatchP50, DispatchP99Ms = trivial.DispatchP99,
                TrivialJobP50Ms = trivial.P50, TrivialJobP99Ms = trivial.P99,
                ZeroToFirstTaskSeconds = zeroToFirst, DrainedToZeroSeconds = drained, IdleTimeoutSeconds = IdleTimeoutSeconds,
            };
            say($"micro: {tasksPerSecond:0} no-op tasks/s; dispatch p50 {trivial.DispatchP50:0.0} ms, p99 {trivial.DispatchP99:0.0} ms; trivial job p50 {trivial.P50:0} ms, p99 {trivial.P99:0} ms");
            await StopAsync(pool);
        }

        var input = platform.Storage.GetContainer("input");
        var output = platform.Storage.GetContainer("output");
        await input.CreateIfNotExistsAsync();
        await output.CreateIfNotExistsAsync();
        string scratch = Directory.CreateTempSubdirectory("spark-bench-").FullName;
        try
        {
            foreach (var name in settings.Workloads)
            {
                var rounds = new RoundRunner(settings.Rounds, name, client, round => StartPoolAsync(platform, client, env, $"pool-{name}-{round}"), StopAsync, Timeout, say);
                var result = name switch
                {
                    "wordcount" => await WordCountAsync(rounds, input, output, data),
                    "sort" => await SortAsync(rounds, input, output, data, scratch),
                    "q1" => await Q1Async(rounds, input, output, data),
                    "join" => await JoinAsync(rounds, input, output, data),
                    _ => throw new ArgumentException($"Unknown workload '{name}'."),
                };
                results.Workloads.Add(result);
                say($"{result.Name}: platform {result.PlatformSeconds:0.0} s, baseline {result.BaselineSeconds:0.0} s ({result.RatioToBaseline:0.00}x)"
                    + (result.ToolSeconds is { } t ? $", {result.ToolName} {t:0.0} s ({result.RatioToTool:0.00}x)" : "")
                    + (settings.Rounds > 1 ? $" (medians of {settings.Rounds})" : "")
                    + $"; storage {result.StorageOverFloor:0.00}x floor; peak RSS {result.ExecutorPeakRssBytes / 1e6:0} MB; {(result.Correct ? "answers match" : "ANSWERS DIFFER")}");
                await DeletePrefixAsync(output, "bench/");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        results.TotalSeconds = clock.Elapsed.TotalSeconds;
        return results;
    }

    /// <summary>Starts a manager keeping a fixed pool and waits until its executors heartbeat and have run a first job.</summary>
    private async Task<ChildProcess> StartPoolAsync(Platform platform, BenchClient client, Dictionary<string, string> env, string id)
    {
        var manager = platform.StartManager(id, settings.Executors, settings.Executors, env);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.ExecutorsAsync()).Count(e => e!["managerId"]?.GetValue<string>() == id && e["status"]!.GetValue<string>() == "alive") < settings.Executors)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The executor pool did not start.");
            await Task.Delay(100);
        }
        // A first job of no-op tasks takes every executor through its task loop, storage clients and job loading, so
        // a workload does not pay for those; its own code (reading, combining, shuffling, generic code over its types)
        // is still compiled within the measured job, as in a fresh executor after a scale-up.
        await client.RunAsync(Workloads.NoOp(settings.Executors * settings.Slots * 2), TimeSpan.FromMinutes(1));
        return manager;
    }

    /// <summary>Kills every process the platform started, by its id; the signal then ends this process as usual.</summary>
    private static void KillAll(Platform platform)
    {
        foreach (var process in platform.Processes) process.Kill();
        try
        {
            using var azurite = Process.GetProcessById(platform.Azurite.ProcessId);
            azurite.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Stops a pool's manager and its executors (the platform disposes the process later).</summary>
    private static async Task StopAsync(ChildProcess manager)
    {
        manager.Kill();
        await manager.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<WorkloadResult> WordCountAsync(RoundRunner rounds, BlobContainerClient input, BlobContainerClient output, BenchData data)
    {
        double upload = await UploadAsync(input, data.TextFiles, "bench/text");
        var run = await rounds.RunAsync(Workloads.WordCount(Partitions),
            async () => ResultCheck.WordCounts(await ResultCheck.ReadLinesAsync(output, "bench/wordcount")),
            () => CSharpBaselines.WordCount(data.TextFiles), (platform, baseline) => platform.Same(baseline));
        await DeletePrefixAsync(input, "bench/text/");
        return Describe("WordCount", data.TextFiles, upload, run, null, null, run.Correct, "input + shuffle write + shuffle read + output");
    }

    private async Task<WorkloadResult> SortAsync(RoundRunner rounds, BlobContainerClient input, BlobContainerClient output, BenchData data, string scratch)
    {
        double upload = await UploadAsync(input, data.SortFiles, "bench/sort");
        string sorted = Path.Combine(scratch, "sorted-csharp");
        var run = await rounds.RunAsync(Workloads.Sort(Partitions * 2), () => ResultCheck.HashAsync(output, "bench/sort"),
            () =>
            {
                string hash = CSharpBaselines.Sort(data.SortFiles, sorted);
                File.Delete(sorted);
                return hash;
            },
            (platform, baseline) => platform == baseline);
        var (gnuHash, gnuSeconds) = Time(() => OutsideTools.GnuSort(data.SortFiles, Path.Combine(scratch, "sorted-gnu"), scratch));
        File.Delete(Path.Combine(scratch, "sorted-gnu"));
        await DeletePrefixAsync(input, "bench/sort/");
        return Describe("Sort", data.SortFiles, upload, run, "LC_ALL=C sort --parallel=2", gnuSeconds,
            run.Correct && run.Answer == gnuHash, "input + shuffle write + shuffle read + output (4x input uncompressed)");
    }

    private async Task<WorkloadResult> Q1Async(RoundRunner rounds, BlobContainerClient input, BlobContainerClient output, BenchData data)
    {
        double upload = await UploadAsync(input, [data.LineItem], "bench/tpch");
        var run = await rounds.RunAsync<IReadOnlyList<string>>(Workloads.Q1(Partitions), async () => await ResultCheck.ReadLinesAsync(output, "bench/q1"),
            () => CSharpBaselines.Q1(data.LineItem), ResultCheck.SameRows);
        var (sqlite, sqliteSeconds) = Sqlite(() => OutsideTools.SqliteQ1(data.LineItem));
        return Describe("Q1", [data.LineItem], upload, run, SqliteName, sqliteSeconds,
            run.Correct && (sqlite is null || ResultCheck.SameRows(run.Answer, sqlite)), "input + shuffle write + shuffle read + output");
    }

    private async Task<WorkloadResult> JoinAsync(RoundRunner rounds, BlobContainerClient input, BlobContainerClient output, BenchData data)
    {
        // Q1 leaves lineitem in place for the join; upload whatever is missing.
        double upload = await UploadAsync(input, [data.LineItem, data.Orders], "bench/tpch", skipExisting: true);
        var run = await rounds.RunAsync<IReadOnlyList<string>>(Workloads.Join(Partitions), async () => await ResultCheck.ReadLinesAsync(output, "bench/join"),
            () => CSharpBaselines.Join(data.LineItem, data.Orders), ResultCheck.SameRows);
        var (sqlite, sqliteSeconds) = Sqlite(() => OutsideTools.SqliteJoin(data.LineItem, data.Orders));
        await DeletePrefixAsync(input, "bench/tpch/");
        return Describe("Join", [data.LineItem, data.Orders], upload, run, SqliteName, sqliteSeconds,
            run.Correct && (sqlite is null || ResultCheck.SameRows(run.Answer, sqlite)), "input + shuffle write + shuffle read + output");
    }

    private static string SqliteName => OutsideTools.Available("sqlite3") ? "sqlite3 (import + query)" : "sqlite3 (not installed)";

    /// <summary>Runs a sqlite3 comparison if sqlite3 is installed (it is not part of the .NET SDK, Node or npm); otherwise says so.</summary>
    private (IReadOnlyList<string>? Rows, double? Seconds) Sqlite(Func<IReadOnlyList<string>> query)
    {
        if (!OutsideTools.Available("sqlite3"))
        {
            say("sqlite3 is not installed: the sqlite3 column stays empty (apt-get install sqlite3 to fill it)");
            return (null, null);
        }
        var (rows, seconds) = Time(query);
        return (rows, seconds);
    }

    /// <summary>
    /// Reduce partitions: one per 128 MB of input, at least four, rounded up to whole waves over the pool's task slots
    /// (Spark's tuning guide asks for a few tasks per core). Seven on two slots, as 1 GB gave before, left one slot
    /// idle through the last wave of a reduce stage: the join stage's seventh task ran alone for 0.23 s of its 0.41.
    /// </summary>
    private int Partitions
    {
        get
        {
            int slots = Math.Max(1, settings.Executors * settings.Slots);
            int partitions = Math.Max(4, (int)(settings.Bytes / (128L << 20)));
            return (partitions + slots - 1) / slots * slots;
        }
    }

    /// <summary>A workload that has not finished by then is stuck: a second per megabyte, at least two minutes.</summary>
    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(120, settings.Bytes / 1e6));

    /// <summary>
    /// A workload's figures: times are the rounds' medians, and the job whose time is the median gives the stages,
    /// bytes and requests (the same in every round but for retried tasks); peak RSS is the highest of any round.
    /// </summary>
    private WorkloadResult Describe<T>(string name, IReadOnlyList<string> files, double upload, RoundRunner.Rounds<T> run,
        string? tool, double? toolSeconds, bool correct, string floor)
    {
        var job = run.MedianJob;
        double baselineSeconds = Micro.Median(run.BaselineSeconds);
        long inputBytes = BenchData.SizeOf(files);
        var stageKinds = job.Status["stages"]!.AsArray().ToDictionary(s => s!["id"]!.GetValue<int>(), s => s!["kind"]!.GetValue<string>());
        var tasks = job.Tasks.Select(t => t!).ToList();
        long Sum(Func<JsonNode, bool> where, string metric) => tasks.Where(where).Sum(t => TaskRows.Long(t, metric));
        bool IsKind(JsonNode t, string kind) => stageKinds[t["stage"]!.GetValue<int>()] == kind;
        long shuffle = Sum(t => IsKind(t, "shuffleMap"), "bytesOut");
        long outputBytes = Sum(t => IsKind(t, "result"), "bytesOut");
        long storage = Sum(_ => true, "bytesIn") + Sum(_ => true, "bytesOut");
        long peak = run.Jobs.SelectMany(j => j.Tasks).Max(t => TaskRows.Long(t!, "peakRssBytes"));
        long partition = tasks.Max(t => TaskRows.Long(t, "bytesIn"));
        return new WorkloadResult
        {
            Name = name, InputBytes = inputBytes, UploadSeconds = upload, JobId = job.Id,
            PlatformSeconds = job.Wall.TotalSeconds, BaselineSeconds = baselineSeconds,
            PlatformRuns = [.. run.Jobs.Select(j => j.Wall.TotalSeconds)], BaselineRuns = run.BaselineSeconds, ToolName = tool, ToolSeconds = toolSeconds,
            MegabytesPerSecondPerCore = inputBytes / 1e6 / job.Wall.TotalSeconds / Environment.ProcessorCount,
            StorageBytes = storage, FloorBytes = inputBytes + 2 * shuffle + outputBytes, Floor = floor, ShuffleBytes = shuffle,
            StorageRequests = Sum(_ => true, "requests"), Tasks = tasks.Count,
            ExecutorPeakRssBytes = peak, PartitionBytes = partition, RssOverPartitions = (double)peak / Math.Max(1, partition * settings.Slots),
            Correct = correct,
            Stages = [.. tasks.GroupBy(t => t["stage"]!.GetValue<int>()).OrderBy(g => g.Key).Select(g => DescribeStage(g.Key, stageKinds[g.Key], [.. g], job.Posted))],
        };
    }

    private static StageResult DescribeStage(int id, string kind, IReadOnlyList<JsonNode> tasks, DateTimeOffset posted)
    {
        var (start, end) = (tasks.Min(TaskRows.Started), tasks.Max(TaskRows.Ended));
        return new()
        {
            Id = id, Kind = kind, Tasks = tasks.Count,
            StartSeconds = (start - posted).TotalSeconds,
            EndSeconds = (end - posted).TotalSeconds,
            WallSeconds = (end - start).TotalSeconds,
            TaskSeconds = tasks.Sum(t => (TaskRows.Ended(t) - TaskRows.Started(t)).TotalSeconds),
            SlowestTaskSeconds = tasks.Max(t => (TaskRows.Ended(t) - TaskRows.Started(t)).TotalSeconds),
            GcSeconds = tasks.Sum(t => TaskRows.Double(t, "gcPauseMs")) / 1000,
            JitSeconds = tasks.Sum(t => TaskRows.Double(t, "jitMs")) / 1000,
            BytesIn = tasks.Sum(t => TaskRows.Long(t, "bytesIn")), BytesOut = tasks.Sum(t => TaskRows.Long(t, "bytesOut")),
            PeakRssBytes = tasks.Max(t => TaskRows.Long(t, "peakRssBytes")),
        };
    }

    /// <summary>Runs <paramref name="run"/>; returns its value and how long it took.</summary>
    internal static (T Value, double Seconds) Time<T>(Func<T> run)
    {
        var clock = Stopwatch.StartNew();
        var value = run();
        return (value, clock.Elapsed.TotalSeconds);
    }

    private async Task<double> UploadAsync(BlobContainerClient container, IEnumerable<string> files, string prefix, bool skipExisting = false)
    {
        var clock = Stopwatch.StartNew();
        var options = new BlobUploadOptions { TransferOptions = new StorageTransferOptions { InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20, MaximumConcurrency = 4 },
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 } };
        foreach (var file in files)
        {
            var blob = container.GetBlobClient($"{prefix}/{Path.GetFileName(file)}");
            if (skipExisting && await blob.ExistsAsync()) continue;
            await blob.UploadAsync(file, options);
        }
        say($"uploaded {prefix} in {clock.Elapsed.TotalSeconds:0.0} s");
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task DeletePrefixAsync(BlobContainerClient container, string prefix)
    {
        await foreach (var blob in container.GetBlobsAsync(prefix: prefix))
            await container.DeleteBlobIfExistsAsync(blob.Name);
    }
}

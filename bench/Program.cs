using System.CommandLine;
using System.Text;
using Spark.Serverless.Bench.Generators;

var bytes = new Option<long>("--bytes") { Description = "Total bytes of text across all files.", DefaultValueFactory = _ => 8_000_000 };
var files = new Option<int>("--files") { Description = "Number of files.", DefaultValueFactory = _ => 4 };
var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives the same text.", DefaultValueFactory = _ => 42 };
var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write book-NNN.txt files into.", Required = true };
var text = new Command("text", "Generate a Zipf-distributed English-looking text corpus.") { bytes, files, seed, output };
text.SetAction(parse =>
{
    var dir = parse.GetValue(output)!;
    int count = parse.GetValue(files);
    long total = parse.GetValue(bytes);
    if (count < 1 || total < 1)
    {
        Console.Error.WriteLine("spark-bench: --files and --bytes must be positive");
        return 2;
    }
    dir.Create();
    var corpus = new TextCorpus();
    for (int i = 0; i < count; i++)
    {
        string path = Path.Combine(dir.FullName, $"book-{i:D3}.txt");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        corpus.Write(writer, total / count, parse.GetValue(seed) + (ulong)i);
    }
    Console.WriteLine($"Wrote {count} files, about {total:N0} bytes, to {dir.FullName}");
    return 0;
});
var orders = new Option<long>("--orders") { Description = "Orders to generate (about four line items each).", DefaultValueFactory = _ => 1000 };
var tpchOut = new Option<DirectoryInfo>("--out") { Description = "Folder to write orders.csv and lineitem.csv into.", Required = true };
var tpchSeed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 7 };
var tpch = new Command("tpch", "Generate TPC-H-like orders.csv and lineitem.csv.") { orders, tpchOut, tpchSeed };
tpch.SetAction(parse =>
{
    var dir = parse.GetValue(tpchOut)!;
    long count = parse.GetValue(orders);
    if (count < 1)
    {
        Console.Error.WriteLine("spark-bench: --orders must be positive");
        return 2;
    }
    dir.Create();
    using var ordersFile = new StreamWriter(Path.Combine(dir.FullName, "orders.csv"), false, new UTF8Encoding(false), 1 << 16);
    using var itemsFile = new StreamWriter(Path.Combine(dir.FullName, "lineitem.csv"), false, new UTF8Encoding(false), 1 << 16);
    long items = TpchGenerator.Write(ordersFile, itemsFile, 1, count, parse.GetValue(tpchSeed), headers: true);
    Console.WriteLine($"Wrote {count:N0} orders and {items:N0} line items to {dir.FullName}");
    return 0;
});
var generate = new Command("gen", "Generate deterministic benchmark data.") { text, tpch };

var soakJobs = new Option<int>("--jobs") { Description = "Jobs to run.", DefaultValueFactory = _ => 20 };
var soakExecutors = new Option<int>("--executors") { Description = "Executor processes to keep.", DefaultValueFactory = _ => 3 };
var soakKillEvery = new Option<double>("--kill-every") { Description = "Seconds between kills.", DefaultValueFactory = _ => 1.5 };
var soakSeed = new Option<int>("--seed") { Description = "Chooses inputs and victims.", DefaultValueFactory = _ => 1 };
var soak = new Command("soak", "Run word counts under random SIGKILLs of executors and drivers; print jobs completed, records lost, records duplicated.")
    { soakJobs, soakExecutors, soakKillEvery, soakSeed };
soak.SetAction(async (parse, ct) =>
{
    int jobs = parse.GetValue(soakJobs);
    var result = await Spark.Serverless.Testing.FaultSoak.RunAsync(jobs, parse.GetValue(soakExecutors), TimeSpan.FromSeconds(parse.GetValue(soakKillEvery)),
        parse.GetValue(soakSeed), line => Console.WriteLine($"  {line}"), TimeSpan.FromMinutes(10 + jobs));
    Console.WriteLine($"jobs completed: {result.Completed}/{result.Jobs}");
    Console.WriteLine($"records lost: {result.RecordsLost}");
    Console.WriteLine($"records duplicated: {result.RecordsDuplicated}");
    Console.WriteLine($"({result.ExecutorKills} executor and {result.DriverKills} driver SIGKILLs in {result.Elapsed.TotalSeconds:0} s)");
    return result.Passed ? 0 : 1;
});
var size = new Option<string>("--size") { Description = "Input per workload, e.g. 1GB, 256MB.", DefaultValueFactory = _ => "1GB" };
var workloads = new Option<string>("--workloads") { Description = "Comma-separated: wordcount,sort,q1,join.", DefaultValueFactory = _ => "wordcount,sort,q1,join" };
var noMicro = new Option<bool>("--no-micro") { Description = "Skip the latency and throughput micro-benchmarks." };
var executors = new Option<int>("--executors") { Description = "Executors in the warm pool.", DefaultValueFactory = _ => 2 };
var slots = new Option<int>("--slots") { Description = "Task slots per executor.", DefaultValueFactory = _ => 1 };
var dataRoot = new Option<string>("--data") { Description = "Where generated inputs are kept between runs.", DefaultValueFactory = _ => ".data/bench" };
var outFolder = new Option<string>("--out") { Description = "Where results.json and results.md go.", DefaultValueFactory = _ => "artifacts/bench" };
var rounds = new Option<int>("--rounds") { Description = "Times each workload's platform job and C# baseline run, alternating (and the no-op micro-benchmark); medians are reported.", DefaultValueFactory = _ => 3 };
var set = new Option<string[]>("--set") { Description = "A platform setting for this run, KEY=VALUE as an environment variable (e.g. Executor__MemoryBudgetBytes=268435456); repeatable.", AllowMultipleArgumentsPerToken = false };
var readme = new Option<string?>("--readme") { Description = "A README whose performance table (between the bench markers) is replaced, and next to which docs/bench/results.json is written." };
var run = new Command("run", "Generate the inputs, run every workload on the platform and its baselines, and the micro-benchmarks; print and save the results.")
    { size, workloads, noMicro, executors, slots, rounds, dataRoot, outFolder, set, readme };
run.SetAction(async (parse, ct) =>
{
    if (Spark.Serverless.Bench.Harness.ByteSize.TryParse(parse.GetValue(size)!, out long bytes) is { } sizeError)
    {
        Console.Error.WriteLine($"spark-bench: {sizeError}");
        return 2;
    }
    var chosen = parse.GetValue(workloads)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.ToLowerInvariant()).ToList();
    if (chosen.FirstOrDefault(w => w is not ("wordcount" or "sort" or "q1" or "join")) is { } unknown)
    {
        Console.Error.WriteLine($"spark-bench: unknown workload '{unknown}'; expected wordcount, sort, q1 or join");
        return 2;
    }
    if (parse.GetValue(executors) < 1 || parse.GetValue(slots) < 1 || parse.GetValue(rounds) < 1)
    {
        Console.Error.WriteLine("spark-bench: --executors, --slots and --rounds must be positive");
        return 2;
    }
    var platformSettings = new Dictionary<string, string>();
    foreach (var pair in parse.GetValue(set) ?? [])
    {
        int eq = pair.IndexOf('=');
        if (eq <= 0)
        {
            Console.Error.WriteLine($"spark-bench: --set '{pair}' is not KEY=VALUE");
            return 2;
        }
        platformSettings[pair[..eq]] = pair[(eq + 1)..];
    }
    // The command a reader would type: run.sh adds "run --readme README.md" itself.
    var given = args.Skip(1).ToList();
    if (given.IndexOf("--readme") is int at and >= 0) given.RemoveRange(at, Math.Min(2, given.Count - at));
    string command = "./run.sh bench " + string.Join(' ', given);
    var settings = new Spark.Serverless.Bench.Harness.BenchSettings(bytes, parse.GetValue(dataRoot)!, parse.GetValue(outFolder)!, chosen, !parse.GetValue(noMicro),
        parse.GetValue(executors), parse.GetValue(slots), command.Trim()) { PlatformSettings = platformSettings, Rounds = parse.GetValue(rounds) };
    var results = await new Spark.Serverless.Bench.Harness.BenchRunner(settings, line => Console.WriteLine($"bench: {line}")).RunAsync();
    string markdown = Spark.Serverless.Bench.Harness.BenchReport.ToMarkdown(results);
    string json = Spark.Serverless.Bench.Harness.BenchReport.ToJson(results);
    Directory.CreateDirectory(settings.OutFolder);
    File.WriteAllText(Path.Combine(settings.OutFolder, "results.json"), json);
    File.WriteAllText(Path.Combine(settings.OutFolder, "results.md"), markdown);
    if (parse.GetValue(readme) is { } readmePath)
    {
        Spark.Serverless.Bench.Harness.BenchReport.UpdateReadme(readmePath, markdown);
        string docs = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(readmePath))!, "docs", "bench");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "results.json"), json);
    }
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"Results: {Path.Combine(settings.OutFolder, "results.json")}");
    return results.Workloads.All(w => w.Correct) ? 0 : 1;
});
var ceilingConcurrency = new Option<int>("--concurrency") { Description = "Concurrent callers.", DefaultValueFactory = _ => 8 };
var ceiling = new Command("storage-ceiling", "Measure how many small queue and blob requests a second a private Azurite serves.") { ceilingConcurrency };
ceiling.SetAction(async (parse, ct) =>
{
    foreach (var (kind, rate) in await Spark.Serverless.Bench.Harness.StorageCeiling.MeasureAsync(parse.GetValue(ceilingConcurrency), TimeSpan.FromSeconds(5)))
        Console.WriteLine(kind.Contains("MB/s", StringComparison.Ordinal) ? $"{kind}: {rate:0}" : $"{kind}: {rate:0} per second");
    return 0;
});
return await new RootCommand("spark-bench: benchmark data generators, fault soak and harness.") { generate, soak, run, ceiling }.Parse(args).InvokeAsync();

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
return await new RootCommand("spark-bench: benchmark data generators, fault soak and harness.") { generate, soak }.Parse(args).InvokeAsync();

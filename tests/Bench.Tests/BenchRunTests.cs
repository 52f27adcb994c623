using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Bench.Tests;

/// <summary>
/// The harness end to end as a user runs it: <c>spark-bench run</c> as a process, at a small size, on its own
/// Azurite and platform. Checks that every workload's answer matched its baselines and every figure was measured;
/// the figures themselves are for the README, not for a timed test.
/// </summary>
[TestClass]
public sealed class BenchRunTests
{
    [TestMethod]
    [Timeout(600_000)]
    public async Task Run_MeasuresEveryWorkloadAndMicroBenchmark_WithAnswersMatchingTheBaselines()
    {
        string folder = Directory.CreateTempSubdirectory("bench-run-").FullName;
        try
        {
            string readme = Path.Combine(folder, "README.md");
            File.WriteAllText(readme, "# Title\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nafter\n");
            await using var bench = ChildProcess.StartDotnet("bench", "Spark.Serverless.Bench", "spark-bench.dll",
                ["run", "--size", "2MB", "--rounds", "2", "--data", Path.Combine(folder, "data"), "--out", Path.Combine(folder, "out"), "--readme", readme]);
            int exit = await bench.WaitForExitAsync(TimeSpan.FromMinutes(9));
            Assert.AreEqual(0, exit, bench.Output);

            var results = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "out", "results.json")))!;
            var workloads = results["workloads"]!.AsArray().Select(w => w!).ToList();
            CollectionAssert.AreEqual(new[] { "WordCount", "Sort", "Q1", "Join" }, workloads.Select(w => w["name"]!.GetValue<string>()).ToArray());
            foreach (var w in workloads)
            {
                string name = w["name"]!.GetValue<string>();
                Assert.IsTrue(w["correct"]!.GetValue<bool>(), $"{name}: answers differ");
                Assert.IsTrue(w["platformSeconds"]!.GetValue<double>() > 0 && w["baselineSeconds"]!.GetValue<double>() > 0, name);
                // Two alternating rounds each, and the reported times are one of them (the median by nearest rank).
                foreach (var (figure, runs) in new[] { ("platformSeconds", "platformRuns"), ("baselineSeconds", "baselineRuns") })
                {
                    var each = w[runs]!.AsArray().Select(v => v!.GetValue<double>()).ToList();
                    Assert.AreEqual(2, each.Count, $"{name}: {runs}");
                    Assert.AreEqual(each.Min(), w[figure]!.GetValue<double>(), $"{name}: {figure} is the lower of two rounds");
                }
                Assert.IsTrue(w["storageBytes"]!.GetValue<long>() >= w["inputBytes"]!.GetValue<long>(), $"{name}: the tasks read at least the input");
                Assert.IsTrue(w["storageRequests"]!.GetValue<long>() > 0 && w["executorPeakRssBytes"]!.GetValue<long>() > 0, name);
                foreach (var stage in w["stages"]!.AsArray())
                {
                    double gc = stage!["gcSeconds"]!.GetValue<double>();
                    Assert.IsTrue(gc >= 0 && gc <= stage["taskSeconds"]!.GetValue<double>(), $"{name}: a stage's GC time is part of its task time");
                    double start = stage["startSeconds"]!.GetValue<double>(), end = stage["endSeconds"]!.GetValue<double>();
                    Assert.IsTrue(start > 0 && end >= start, $"{name}: a stage starts after the job was posted and ends after it starts");
                    Assert.AreEqual(stage["wallSeconds"]!.GetValue<double>(), end - start, 1e-6, $"{name}: a stage's wall time is its start to its end");
                }
                // The median job's stages all ran inside it: none ends after the job completed.
                Assert.IsTrue(w["stages"]!.AsArray().Max(s => s!["endSeconds"]!.GetValue<double>()) <= w["platformSeconds"]!.GetValue<double>(), name);
            }
            Assert.AreEqual("LC_ALL=C sort --parallel=2", workloads[1]["toolName"]!.GetValue<string>());
            Assert.IsTrue(workloads[1]["toolSeconds"]!.GetValue<double>() > 0);

            var micro = results["micro"]!;
            foreach (var figure in new[] { "noOpTasksPerSecond", "dispatchP50Ms", "dispatchP99Ms", "trivialJobP50Ms", "zeroToFirstTaskSeconds", "drainedToZeroSeconds" })
                Assert.IsTrue(micro[figure]!.GetValue<double>() > 0, figure);
            Assert.AreEqual(2, micro["noOpRuns"]!.AsArray().Count);

            string table = File.ReadAllText(readme);
            Assert.IsFalse(table.Contains("old table", StringComparison.Ordinal));
            StringAssert.Contains(table, "| WordCount |");
            StringAssert.Contains(table, "No-op tasks per second");
            StringAssert.Contains(table, "medians of 2 alternating rounds");
            StringAssert.Contains(table, "\nafter\n");
            Assert.IsTrue(File.Exists(Path.Combine(folder, "docs", "bench", "results.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("--size|lots", "--size 'lots' is not a size")]
    [DataRow("--workloads|wordcount,nope", "unknown workload 'nope'")]
    [DataRow("--executors|0", "--executors, --slots and --rounds must be positive")]
    [DataRow("--rounds|0", "--executors, --slots and --rounds must be positive")]
    public async Task Run_RefusesBadArguments_InOneLine(string args, string expected)
    {
        await using var bench = ChildProcess.StartDotnet("bench", "Spark.Serverless.Bench", "spark-bench.dll", ["run", .. args.Split('|')]);
        Assert.AreEqual(2, await bench.WaitForExitAsync(TimeSpan.FromMinutes(1)), bench.Output);
        StringAssert.Contains(bench.Output, expected);
    }
}

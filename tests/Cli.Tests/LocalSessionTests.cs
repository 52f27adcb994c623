using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Cli.Tests;

/// <summary>
/// A whole session as the README shows it: <c>up</c>, <c>upload</c>, <c>submit --wait</c>, <c>jobs</c>, <c>status</c>,
/// <c>logs</c>, <c>result</c>, <c>download</c>, <c>down</c>, each command a separate process of the CLI.
/// </summary>
[TestClass]
public sealed class LocalSessionTests
{
    [TestMethod]
    public async Task UpSubmitWaitInspectDownloadDown()
    {
        string home = Path.Combine(Path.GetTempPath(), $"spark-home-{Guid.NewGuid():N}");
        string work = Directory.CreateDirectory(Path.Combine(home, "work")).FullName;
        var env = new Dictionary<string, string> { ["SPARK_HOME"] = home, ["SPARK_URL"] = "" };
        int port = FreePorts.Take(1)[0];
        try
        {
            var up = await Cli.RunAsync(env, "up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory", "--max-executors", "2");
            Assert.AreEqual(0, up.ExitCode, up.Output);
            StringAssert.Contains(up.Output, $"API and web UI: http://127.0.0.1:{port}/");
            var again = await Cli.RunAsync(env, "up", "--in-memory");
            Assert.AreEqual(2, again.ExitCode, again.Output);
            StringAssert.Contains(again.Output, "already running");

            File.WriteAllText(Path.Combine(work, "a.txt"), "the quick brown fox\njumps over the lazy dog\n");
            File.WriteAllText(Path.Combine(work, "b.txt"), "the dog sleeps\n");
            File.WriteAllText(Path.Combine(work, "spec.json"), """
                { "name": "cli-words", "settings": { "shufflePartitions": 2 }, "steps": [
                  { "id": "lines", "op": "textFile", "path": "input/cli/*.txt" },
                  { "id": "words", "op": "flatMap", "from": "lines", "fn": "l => l.Split(' ')" },
                  { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
                  { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
                  { "op": "saveAsTextFile", "from": "counts", "path": "output/cli-words", "overwrite": true } ] }
                """);
            // The platform's URL comes from what 'up' wrote: no --url anywhere below.
            var upload = await Cli.RunAsync(env, "upload", Path.Combine(work, "a.txt"), "input/cli/a.txt");
            Assert.AreEqual(0, upload.ExitCode, upload.Output);
            Assert.AreEqual(0, (await Cli.RunAsync(env, "upload", Path.Combine(work, "b.txt"), "input/cli/b.txt")).ExitCode);

            var submit = await Cli.RunAsync(env, "submit", Path.Combine(work, "spec.json"), "--wait");
            Assert.AreEqual(0, submit.ExitCode, submit.Output);
            string jobId = submit.Lines[0].Split(' ')[^1];
            Assert.IsTrue(submit.Lines.Any(l => l.StartsWith("[Stage 0 map at pairs:", StringComparison.Ordinal) && l.EndsWith("(2 + 0) / 2]", StringComparison.Ordinal)), submit.Output);
            Assert.IsTrue(submit.Lines.Any(l => l.StartsWith("[Stage 1 saveAsTextFile at counts:", StringComparison.Ordinal)), submit.Output);
            StringAssert.Contains(submit.Output, $"Job {jobId} completed in");
            StringAssert.Contains(submit.Output, "saveAsTextFile step5 -> output/cli-words: 2 parts, 9 records");

            var jobs = await Cli.RunAsync(env, "jobs");
            Assert.AreEqual(0, jobs.ExitCode, jobs.Output);
            Assert.IsTrue(jobs.Lines.Any(l => l.StartsWith(jobId, StringComparison.Ordinal) && l.Contains("completed", StringComparison.Ordinal) && l.EndsWith("cli-words", StringComparison.Ordinal)), jobs.Output);

            var status = await Cli.RunAsync(env, "status", jobId);
            Assert.AreEqual("completed", JsonNode.Parse(status.Output)!["runtimeStatus"]!.GetValue<string>());

            var logs = await Cli.RunAsync(env, "logs", jobId, "--stage", "0");
            Assert.AreEqual(0, logs.ExitCode, logs.Output);
            Assert.AreEqual(2, logs.Lines.Count(l => l.StartsWith("=== stage 0 (attempt 0), partition ", StringComparison.Ordinal)), logs.Output);
            StringAssert.Contains(logs.Output, "committed");

            var result = await Cli.RunAsync(env, "result", jobId);
            Assert.AreEqual("output/cli-words", JsonNode.Parse(result.Output)!["outputs"]![0]!["path"]!.GetValue<string>());

            string local = Path.Combine(work, "out");
            var download = await Cli.RunAsync(env, "download", "output/cli-words", local);
            Assert.AreEqual(0, download.ExitCode, download.Output);
            var counted = Directory.GetFiles(local, "part-*").SelectMany(File.ReadAllLines).ToDictionary(l => l.Split('\t')[0], l => l.Split('\t')[1]);
            Assert.AreEqual("3", counted["the"]);
            Assert.AreEqual("2", counted["dog"]);
            Assert.IsTrue(File.Exists(Path.Combine(local, "_SUCCESS")));

            var cancel = await Cli.RunAsync(env, "cancel", jobId);
            Assert.AreEqual(2, cancel.ExitCode);
            Assert.AreEqual(1, cancel.Lines.Length, cancel.Output);
            StringAssert.Contains(cancel.Output, "already Completed");

            var down = await Cli.RunAsync(env, "down");
            Assert.AreEqual(0, down.ExitCode, down.Output);
            StringAssert.Contains(down.Output, "Stopped 3 processes.");
            Assert.IsFalse(File.Exists(Path.Combine(home, "platform.json")));
        }
        finally
        {
            // Whatever happened above, nothing 'up' started outlives the test.
            await Cli.RunAsync(env, "down");
            Directory.Delete(home, recursive: true);
        }
    }
}

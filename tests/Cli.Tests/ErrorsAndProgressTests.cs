using Spark.Serverless.Testing;

namespace Spark.Serverless.Cli.Tests;

/// <summary>Every CLI failure is one readable line and a non-zero exit code; <c>--wait</c> on a terminal draws live bars.</summary>
[TestClass]
public sealed class ErrorsAndProgressTests
{
    private const string Key = "cli-test-key-0123456789";
    private static Platform s_platform = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync(new Dictionary<string, string> { ["Driver__ApiKeys"] = Key });
        s_platform.StartManager(executors: 1);
    }

    [ClassCleanup]
    public static async Task Stop() => await s_platform.DisposeAsync();

    private static Dictionary<string, string> Env(string? key = Key) => new()
    {
        ["SPARK_URL"] = s_platform.DriverUri.ToString(),
        ["SPARK_KEY"] = key ?? "",
        ["SPARK_HOME"] = Path.Combine(Path.GetTempPath(), "spark-home-unused"),
    };

    [TestMethod]
    [DataRow(2, "submit|/no/such/spec.json", "spec file '/no/such/spec.json' does not exist")]
    [DataRow(2, "status|20261121-000000-00000000", "There is no job '20261121-000000-00000000'.")]
    [DataRow(2, "upload|/no/such/folder|input/x", "'/no/such/folder' is neither a file nor a folder")]
    [DataRow(2, "download|input/../spark|/tmp/x", "contains a '..' segment")]
    [DataRow(2, "download|spark/jobs|/tmp/x", "platform's own container")]
    [DataRow(2, "logs|20261121-000000-00000000|--partition|1", "There is no job")]
    [DataRow(2, "jobs|--status|sleeping", "'status' must be one of")]
    [DataRow(2, "frobnicate", "Unrecognized command or argument 'frobnicate'")]
    [DataRow(2, "up|--port|70000", "--port 70000 is not a port number")]
    [DataRow(3, "status|x|--url|http://127.0.0.1:1", "cannot reach the driver at http://127.0.0.1:1/")]
    [DataRow(2, "status|x|--url|ftp://example", "--url 'ftp://example' is not an http(s) URL")]
    public async Task Failures_AreOneLineAndAnExitCode(int code, string arguments, string expected)
    {
        var run = await Cli.RunAsync(Env(), arguments.Split('|'));
        Assert.AreEqual(code, run.ExitCode, run.Output);
        Assert.AreEqual(1, run.Lines.Length, run.Output);
        StringAssert.StartsWith(run.Lines[0], "spark-serverless: ");
        StringAssert.Contains(run.Lines[0], expected);
    }

    [TestMethod]
    public async Task Keys_MissingOrWrong_SayHowToPassOne()
    {
        var none = await Cli.RunAsync(Env(key: null), "jobs");
        Assert.AreEqual(2, none.ExitCode);
        StringAssert.Contains(none.Output, "A key is required");
        StringAssert.Contains(none.Output, "pass --key or set SPARK_KEY");
        var wrong = await Cli.RunAsync(Env(key: null), "jobs", "--key", "wrong-key-0123456789");
        StringAssert.Contains(wrong.Output, "The key is not valid");
        Assert.AreEqual(0, (await Cli.RunAsync(Env(key: null), "jobs", "--key", Key)).ExitCode);
    }

    [TestMethod]
    public async Task FailedJob_ExitsOne_WithTheReason()
    {
        string spec = Path.Combine(Path.GetTempPath(), $"fails-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, """
            { "name": "fails", "settings": { "maxTaskFailures": 1 }, "steps": [
              { "id": "n", "op": "range", "end": 10 },
              { "id": "boom", "op": "map", "from": "n", "fn": "x => x == 5 ? throw new InvalidOperationException(\"five\") : x" },
              { "op": "count", "from": "boom" } ] }
            """);
        try
        {
            var run = await Cli.RunAsync(Env(), "submit", spec, "--wait");
            Assert.AreEqual(1, run.ExitCode, run.Output);
            StringAssert.Contains(run.Lines[^1], "failed after");
            StringAssert.Contains(run.Lines[^1], "five");
            Assert.IsTrue(run.Lines.Any(l => l.Contains(", 1 failed) / ", StringComparison.Ordinal)), "the bar counts the failed attempt\n" + run.Output);
        }
        finally
        {
            File.Delete(spec);
        }
    }

    [TestMethod]
    public async Task Wait_OnATerminal_RedrawsTheBarsInPlace()
    {
        string spec = Path.Combine(Path.GetTempPath(), $"live-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, """
            { "name": "live", "settings": { "shufflePartitions": 2 }, "steps": [
              { "id": "n", "op": "range", "end": 400, "numSlices": 4 },
              { "id": "slow", "op": "mapPartitions", "from": "n", "fn": "rs => { System.Threading.Thread.Sleep(300); return rs; }" },
              { "id": "pairs", "op": "map", "from": "slow", "fn": "x => (x % 3, x)" },
              { "id": "sums", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
              { "op": "count", "from": "sums" } ] }
            """);
        try
        {
            // script(1) gives the CLI a pseudo-terminal, as a user's shell would.
            string command = $"dotnet {Cli.Dll} submit {spec} --wait";
            var env = Env();
            env["TERM"] = "xterm-256color";
            await using var shell = ChildProcess.Start("script", "script", ["-qefc", command, "/dev/null"], env);
            Assert.AreEqual(0, await shell.WaitForExitAsync(TimeSpan.FromMinutes(2)), shell.Output);
            string output = shell.Output;
            Assert.IsTrue(output.Contains('\u001b'), "ANSI control sequences: the block was redrawn\n" + output);
            StringAssert.Contains(output, "[Stage 0 map at pairs:");
            StringAssert.Contains(output, "(4 + 0) / 4]");
            StringAssert.Contains(output, "completed in");
            StringAssert.Contains(output, "count step5: 3");
        }
        finally
        {
            File.Delete(spec);
        }
    }

    [TestMethod]
    public async Task Help_IsThereForEveryCommand()
    {
        foreach (string command in new[] { "up", "down", "submit", "status", "jobs", "result", "cancel", "logs", "upload", "download" })
        {
            var run = await Cli.RunAsync(Env(), command, "--help");
            Assert.AreEqual(0, run.ExitCode, command);
            StringAssert.Contains(run.Output, $"spark-serverless {command}", command);
        }
    }
}

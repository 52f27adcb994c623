using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Compiled applications uploaded with their dependencies (HTTP and CLI), loaded in collectible contexts, and refused when their plan differs.</summary>
[TestClass]
public sealed class ApplicationTests
{
    private static Platform Platform => SharedPlatform.Instance;
    private static readonly string TestJobs = RepoPaths.Artifact("Spark.Serverless.TestJobs", "Spark.Serverless.TestJobs.dll");
    private static readonly string Helpers = RepoPaths.Artifact("Spark.Serverless.TestJobs", "Spark.Serverless.TestJobs.Helpers.dll");
    private static readonly string Text = TestCorpus.Generate(seed: 41, lines: 800, lineEnd: "\n", trailingNewline: true);

    [ClassInitialize]
    public static async Task Upload(TestContext _) =>
        await Platform.UploadAsync("input", new Dictionary<string, string> { ["app/a.txt"] = Text });

    [TestMethod]
    public async Task UploadedAssemblyWithDependency_RunsAndReportsItsAccumulator()
    {
        using var response = await Platform.Http.PostAsync("api/jobs", Form(("assembly", TestJobs), ("dependency", Helpers), ("class", "Spark.Serverless.TestJobs.HelperWordCount")));
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, body);
        string jobId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var status = await Platform.WaitForStatusAsync(jobId, "completed");

        var separators = new[] { ' ', '\t', ',', '.', '!', '?', ';', ':' };
        var expected = JobRunner.Lines(Text).SelectMany(l => l.Split(separators, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()))
            .GroupBy(w => w).Select(g => $"{g.Key}\t{g.Count()}");
        JobRunner.AssertSameLines(expected, await Platform.ReadDatasetAsync("output/app-wordcount"));
        Assert.AreEqual(JobRunner.Lines(Text).Count, status["accumulators"]!["lines"]!.GetValue<double>());
        Assert.AreEqual("Spark.Serverless.TestJobs.HelperWordCount", status["name"]!.GetValue<string>());
        await WaitForLogAsync($"Job {jobId}: application unloaded (job completed)");
    }

    [TestMethod]
    public async Task Cli_SubmitAssemblyWait_RunsItAsASeparateProcess()
    {
        var cli = ChildProcess.StartDotnet("cli", "Spark.Serverless.Cli", "spark-serverless.dll",
            ["--url", Platform.DriverUri.ToString(), "submit", "--assembly", TestJobs, "--dependency", Helpers, "--class", "Spark.Serverless.TestJobs.HelperWordCount", "--wait"]);
        await using (cli)
        {
            int exit = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.AreEqual(0, exit, cli.Output);
            StringAssert.Contains(cli.Output, "completed in");
            StringAssert.Contains(cli.Output, "saveAsTextFile counts -> output/app-wordcount");
            StringAssert.Contains(cli.Output, $"accumulator lines = {JobRunner.Lines(Text).Count}");
        }
    }

    [TestMethod]
    public async Task MissingDependency_FailsTheTasksNamingTheAssembly()
    {
        using var response = await Platform.Http.PostAsync("api/jobs", Form(("assembly", TestJobs), ("class", "Spark.Serverless.TestJobs.HelperWordCount"), ("settings", """{"maxTaskFailures":1}""")));
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        var status = await Platform.WaitForStatusAsync(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>(), "failed");
        StringAssert.Contains(status["error"]!.GetValue<string>(), "Spark.Serverless.TestJobs.Helpers");
    }

    [TestMethod]
    public async Task NondeterministicBuild_IsRefusedByTheExecutorsWithAMessageThatSaysSo()
    {
        using var response = await Platform.Http.PostAsync("api/jobs", Form(("assembly", TestJobs), ("class", "Spark.Serverless.TestJobs.NondeterministicJob"), ("settings", """{"maxTaskFailures":2}""")));
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        var status = await Platform.WaitForStatusAsync(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>(), "failed");
        StringAssert.Contains(status["error"]!.GetValue<string>(), "PlanMismatchException: The application built a different plan on this executor");
        StringAssert.Contains(status["error"]!.GetValue<string>(), "Build must be deterministic");
    }

    [TestMethod]
    [DataRow("not-an-assembly", "is not a .NET assembly")]
    [DataRow("no-such-class", "The assembly has no type 'No.Such.Job'")]
    [DataRow("two-jobs", "The assembly has 2 ISparkJob classes")]
    [DataRow("bad-settings", "Unknown setting 'partitions'")]
    public async Task BadUpload_Answers400NamingTheProblem(string caseName, string expected)
    {
        string junk = Path.Combine(Path.GetTempPath(), $"junk-{Guid.NewGuid():N}.dll");
        await File.WriteAllTextAsync(junk, "this is not a PE file");
        try
        {
            var form = caseName switch
            {
                "not-an-assembly" => Form(("assembly", junk)),
                "no-such-class" => Form(("assembly", TestJobs), ("class", "No.Such.Job")),
                "two-jobs" => Form(("assembly", TestJobs)),
                _ => Form(("assembly", TestJobs), ("class", "Spark.Serverless.TestJobs.HelperWordCount"), ("settings", """{"partitions":4}""")),
            };
            using var response = await Platform.Http.PostAsync("api/jobs", form);
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), expected);
        }
        finally
        {
            File.Delete(junk);
        }
    }

    /// <summary>A multipart form: parts named "assembly" or "dependency" are files (by path); the rest are text fields.</summary>
    private static MultipartFormDataContent Form(params (string Name, string Value)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in parts)
        {
            if (name is "assembly" or "dependency")
            {
                var file = new ByteArrayContent(File.ReadAllBytes(value));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, name, Path.GetFileName(value));
            }
            else form.Add(new StringContent(value), name);
        }
        return form;
    }

    private static async Task WaitForLogAsync(string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Platform.Processes.Any(p => p.Output.Contains(line, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"No executor logged \"{line}\".\n{Platform.DescribeProcesses()}");
            await Task.Delay(250);
        }
    }
}

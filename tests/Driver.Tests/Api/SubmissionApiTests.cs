using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Api;

/// <summary>
/// The submission API of a real driver process on a private Azurite. The driver runs without its orchestration
/// loop, so anything a submission enqueued would still be on the control queue for the tests to see.
/// </summary>
[TestClass]
public sealed partial class SubmissionApiTests
{
    private static Platform s_platform = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync(new Dictionary<string, string>
        {
            ["Driver__Orchestrate"] = "false",
            ["Driver__MaxRequestBytes"] = "8192",
        });
        var input = s_platform.Storage.GetContainer("input");
        await input.CreateIfNotExistsAsync();
        await input.GetBlobClient("books/a.txt").UploadAsync(new BinaryData("the quick brown fox\njumps over the lazy dog\n"));
    }

    [ClassCleanup]
    public static async Task Stop() => await s_platform.DisposeAsync();

    [TestMethod]
    public async Task Submit_ValidSpec_Answers202WithUrisAndStoresAndEnqueuesTheJob()
    {
        var before = await SnapshotAsync();
        using var response = await s_platform.SubmitAsync(Specs.WordCount.Replace("output/wc", "output/wc-valid", StringComparison.Ordinal));
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        string id = body["id"]!.GetValue<string>();
        Assert.AreEqual(new Uri(s_platform.DriverUri, $"api/jobs/{id}"), response.Headers.Location);
        Assert.AreEqual(new Uri(s_platform.DriverUri, $"api/jobs/{id}").ToString(), body["statusQueryGetUri"]!.GetValue<string>());
        Assert.AreEqual(new Uri(s_platform.DriverUri, $"api/jobs/{id}/cancel").ToString(), body["terminatePostUri"]!.GetValue<string>());
        Assert.AreEqual(new Uri(s_platform.DriverUri, $"api/jobs/{id}/result").ToString(), body["resultGetUri"]!.GetValue<string>());

        var after = await SnapshotAsync();
        Assert.AreEqual(before.ControlMessages + 1, after.ControlMessages, "one JobSubmitted event");
        foreach (var name in new[] { "spec.json", "plan.json", "state.json" })
            Assert.IsTrue(after.Blobs.Contains($"jobs/{id}/{name}"), $"{name} is stored");
        Assert.IsTrue(after.Blobs.Any(b => b.StartsWith($"jobs/{id}/app/", StringComparison.Ordinal) && b.EndsWith(".dll", StringComparison.Ordinal)));

        var status = (await s_platform.Http.GetFromJsonAsync<JsonNode>($"api/jobs/{id}"))!;
        Assert.AreEqual("pending", status["runtimeStatus"]!.GetValue<string>());
        Assert.AreEqual(2, status["stages"]!.AsArray().Count);
        Assert.AreEqual(1, status["stages"]![0]!["numTasks"]!.GetValue<int>());
    }

    [TestMethod]
    [DataRow("{ \"steps\": [ { \"op\": ", "The request body is not valid JSON")]
    [DataRow("unknown-op", "unknown op 'mapp'")]
    [DataRow("bad-from", "'from' names 'wurds', which is no earlier step")]
    [DataRow("duplicate-id", "duplicate step id 'words'")]
    [DataRow("bad-path", "path '/etc/passwd' is absolute")]
    [DataRow("dotdot-path", "contains a '..' segment")]
    [DataRow("compile-error", "step 'words' (flatMap): fn (1,9): error CS0103: The name 'lin' does not exist in the current context")]
    [DataRow("wrong-shape", "step 'counts' (reduceByKey): error CS")]
    public async Task Submit_BadInput_Answers400NamingTheProblemAndStoresNothing(string caseName, string expected)
    {
        string body = caseName switch
        {
            "unknown-op" => Specs.WithStep("pairs", "op", "\"mapp\""),
            "bad-from" => Specs.WithStep("pairs", "from", "\"wurds\""),
            "duplicate-id" => Specs.WithStep("pairs", "id", "\"words\""),
            "bad-path" => Specs.WithStep("lines", "path", "\"/etc/passwd\""),
            "dotdot-path" => Specs.WithStep("lines", "path", "\"input/../secrets\""),
            "compile-error" => Specs.WithStep("words", "fn", "\"line => lin.Split(' ')\""),
            "wrong-shape" => Specs.WithStep("counts", "from", "\"words\""),
            _ => caseName,
        };
        var before = await SnapshotAsync();
        using var response = await s_platform.SubmitAsync(body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, text);
        var error = JsonNode.Parse(text)!;
        var messages = error["errors"]?.AsArray().Select(e => e!.GetValue<string>()).ToList() ?? [error["error"]!.GetValue<string>()];
        Assert.IsTrue(messages.Any(m => m.Contains(expected, StringComparison.Ordinal)), $"expected \"{expected}\" in {text}");
        var after = await SnapshotAsync();
        Assert.AreEqual(before, after, "a rejected submission stores and enqueues nothing");
    }

    [TestMethod]
    public async Task Submit_OversizedBody_Answers413WithTheLimit()
    {
        var before = await SnapshotAsync();
        using var response = await s_platform.SubmitAsync(Specs.WordCount + new string(' ', 10_000));
        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "larger than the limit of 8192 bytes");
        Assert.AreEqual(before, await SnapshotAsync());
    }

    [TestMethod]
    public async Task Submit_InputContainerMissing_AcceptsAndFailsTheJobWithTheReason()
    {
        using var response = await s_platform.SubmitAsync(Specs.WithStep("lines", "path", "\"nosuch/books/*.txt\""));
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        string id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var status = (await s_platform.Http.GetFromJsonAsync<JsonNode>($"api/jobs/{id}"))!;
        Assert.AreEqual("failed", status["runtimeStatus"]!.GetValue<string>());
        StringAssert.Contains(status["error"]!.GetValue<string>(), "container 'nosuch' does not exist");
    }

    [TestMethod]
    [DataRow("20990101-000000-deadbeef")]
    [DataRow("..%2F..%2Fetc")]
    [DataRow("not-a-job")]
    public async Task Status_UnknownJob_Answers404(string id)
    {
        using var response = await s_platform.Http.GetAsync($"api/jobs/{id}");
        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "There is no job");
        using var result = await s_platform.Http.GetAsync($"api/jobs/{id}/result");
        Assert.AreEqual(HttpStatusCode.NotFound, result.StatusCode);
    }

    private sealed record Snapshot(int ControlMessages, int TaskMessages, int BlobCount)
    {
        public HashSet<string> Blobs { get; init; } = [];

        public bool Equals(Snapshot? other) => other is not null && ControlMessages == other.ControlMessages && TaskMessages == other.TaskMessages && Blobs.SetEquals(other.Blobs);

        public override int GetHashCode() => HashCode.Combine(ControlMessages, TaskMessages, BlobCount);
    }

    private static async Task<Snapshot> SnapshotAsync()
    {
        var storage = s_platform.Storage;
        var blobs = new HashSet<string>();
        await foreach (var blob in storage.Container.GetBlobsAsync()) blobs.Add(blob.Name);
        int control = (await storage.Control.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        int tasks = (await storage.Tasks.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        return new Snapshot(control, tasks, blobs.Count) { Blobs = blobs };
    }
}

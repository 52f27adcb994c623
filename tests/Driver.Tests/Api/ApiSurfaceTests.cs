using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Api;

/// <summary>
/// The API's edges on a real driver process: keys, the OpenAPI document, path checks, size limits, unknown ids, the
/// job list, spec validation and the file API. The driver does not orchestrate, so nothing runs.
/// </summary>
[TestClass]
public sealed class ApiSurfaceTests
{
    private const string Key = "test-key-0123456789abcdef";
    private static Platform s_platform = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync(new Dictionary<string, string>
        {
            ["Driver__Orchestrate"] = "false",
            ["Driver__ApiKeys"] = $"another-key-0123456789,{Key}",
            ["Driver__AllowedContainers"] = "input,output",
            ["Driver__MaxUploadBytes"] = "4096",
        });
        await s_platform.Storage.GetContainer("input").CreateIfNotExistsAsync();
        await s_platform.Storage.GetContainer("input").GetBlobClient("api/a.txt").UploadAsync(new BinaryData("one\ntwo\n"), overwrite: true);
    }

    [ClassCleanup]
    public static async Task Stop() => await s_platform.DisposeAsync();

    private static HttpClient Anonymous() => new() { BaseAddress = s_platform.DriverUri };

    [TestMethod]
    public async Task Keys_AreRequiredOnTheApi_InTheHeaderOrTheQuery()
    {
        using var anonymous = Anonymous();
        using (var none = await anonymous.GetAsync("api/jobs"))
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, none.StatusCode);
            StringAssert.Contains(await none.Content.ReadAsStringAsync(), "A key is required");
        }
        using (var wrong = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/jobs") { Headers = { { "x-functions-key", "not-the-key-0123456789" } } }))
        {
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrong.StatusCode);
            StringAssert.Contains(await wrong.Content.ReadAsStringAsync(), "The key is not valid");
        }
        using (var header = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/jobs") { Headers = { { "x-functions-key", Key } } }))
            Assert.AreEqual(HttpStatusCode.OK, header.StatusCode);
        using (var query = await anonymous.GetAsync($"api/executors?code={Key}"))
            Assert.AreEqual(HttpStatusCode.OK, query.StatusCode);
        using (var wrongQuery = await anonymous.GetAsync("api/executors?code=nope"))
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrongQuery.StatusCode);
        // What holds no data stays open: the health probe and the UI's page.
        using (var health = await anonymous.GetAsync("health")) Assert.AreEqual(HttpStatusCode.OK, health.StatusCode);
        using (var page = await anonymous.GetAsync(""))
        {
            Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
            StringAssert.Contains(await page.Content.ReadAsStringAsync(), "/ui/app.js");
        }
    }

    [TestMethod]
    public async Task BeyondLoopbackWithoutKeys_TheDriverRefusesToStart()
    {
        int port = FreePorts.Take(1)[0];
        await using var driver = ChildProcess.StartDotnet("open-driver", "Spark.Serverless.Driver", "Spark.Serverless.Driver.dll", [],
            s_platform.Environment(new Dictionary<string, string> { ["Driver__Urls"] = $"http://0.0.0.0:{port}" }));
        Assert.AreEqual(2, await driver.WaitForExitAsync(TimeSpan.FromSeconds(60)), driver.Output);
        StringAssert.Contains(driver.Output, "Driver:ApiKeys is empty");
    }

    [TestMethod]
    public async Task OpenApi_DescribesEveryEndpoint()
    {
        var document = (await Anonymous().GetFromJsonAsync<JsonNode>("openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (string path in new[] { "/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/tasks", "/api/jobs/{id}/logs", "/api/jobs/{id}/cancel", "/api/jobs/{id}/result",
                     "/api/specs/validate", "/api/files", "/api/files/{path}", "/api/executors", "/api/scale/history", "/health" })
            Assert.IsTrue(paths.Contains(path), $"{path} is missing from {string.Join(", ", paths)}");
        Assert.IsNotNull(document["paths"]!["/api/jobs/{id}"]!["get"]!["responses"]!["404"], "error answers are described");
    }

    [TestMethod]
    [DataRow("input/../spark/jobs", "contains a '..' segment")]
    [DataRow("/input/books", "is absolute")]
    [DataRow("input\\\\books", "contains a backslash")]
    [DataRow("spark/jobs/x", "platform's own container")]
    [DataRow("secrets/x.txt", "not allowed here")]
    public async Task JobPaths_AreChecked(string path, string expected)
    {
        string spec = $$"""
            { "name": "paths", "steps": [
              { "id": "lines", "op": "textFile", "path": "{{path}}" },
              { "op": "saveAsTextFile", "from": "lines", "path": "output/paths", "overwrite": true } ] }
            """;
        using var response = await s_platform.SubmitAsync(spec);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, body);
        StringAssert.Contains(body, expected);
    }

    [TestMethod]
    public async Task OutputPath_InTheWrongContainer_IsRefusedBeforeAnythingIsStored()
    {
        var before = await BlobCountAsync("spark");
        using var response = await s_platform.SubmitAsync("""
            { "name": "paths", "steps": [ { "id": "n", "op": "range", "end": 10 }, { "op": "saveAsTextFile", "from": "n", "path": "spark/jobs/evil" } ] }
            """);
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "platform's own container");
        Assert.AreEqual(before, await BlobCountAsync("spark"));
    }

    [TestMethod]
    public async Task UnknownJobIds_Answer404_OnEveryJobRoute()
    {
        foreach (string route in new[] { "", "/tasks", "/logs", "/result" })
        {
            using var response = await s_platform.Http.GetAsync($"api/jobs/20261121-000000-00000000{route}");
            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, route);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "There is no job");
        }
        using var cancel = await s_platform.Http.PostAsync("api/jobs/not-a-job/cancel", null);
        Assert.AreEqual(HttpStatusCode.NotFound, cancel.StatusCode);
    }

    [TestMethod]
    public async Task Cancel_WhileTheJobCommits_Answers409_AndLeavesTheStateAlone()
    {
        using var submitted = await s_platform.SubmitAsync("""
            { "name": "committing", "steps": [ { "id": "n", "op": "range", "end": 10 }, { "op": "count", "from": "n" } ] }
            """);
        string id = (await submitted.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        // This driver does not orchestrate, so the job stays where the test puts it: committing.
        var store = new JobStore(s_platform.Storage);
        var (state, etag) = (await store.LoadAsync(id, CancellationToken.None))!.Value;
        state.Status = JobStatus.Running;
        state.Committing = true;
        Assert.IsNotNull(await store.TrySaveAsync(state, etag, CancellationToken.None));
        int queued = (await s_platform.Storage.Control.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        using var cancel = await s_platform.Http.PostAsync($"api/jobs/{id}/cancel", null);
        Assert.AreEqual(HttpStatusCode.Conflict, cancel.StatusCode);
        StringAssert.Contains(await cancel.Content.ReadAsStringAsync(), "committing its output; it is too late to cancel");
        Assert.AreEqual(queued, (await s_platform.Storage.Control.GetPropertiesAsync()).Value.ApproximateMessagesCount, "no cancel event was sent");
        var status = (await s_platform.Http.GetFromJsonAsync<JsonNode>($"api/jobs/{id}"))!;
        Assert.AreEqual("running", status["runtimeStatus"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task JobList_NewestFirst_WithFiltersChecked()
    {
        var ids = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            using var response = await s_platform.SubmitAsync($$"""
                { "name": "listed-{{i}}", "steps": [ { "id": "n", "op": "range", "end": 10 }, { "op": "count", "from": "n" } ] }
                """);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>());
            await Task.Delay(1100);
        }
        var jobs = (await s_platform.Http.GetFromJsonAsync<JsonArray>("api/jobs?status=pending&limit=50"))!.Select(j => j!["id"]!.GetValue<string>()).ToList();
        Assert.IsTrue(jobs.IndexOf(ids[1]) >= 0 && jobs.IndexOf(ids[1]) < jobs.IndexOf(ids[0]), string.Join(", ", jobs));
        var one = (await s_platform.Http.GetFromJsonAsync<JsonArray>("api/jobs?limit=1"))!;
        Assert.AreEqual(1, one.Count);
        using (var bad = await s_platform.Http.GetAsync("api/jobs?status=sleeping")) Assert.AreEqual(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var bad = await s_platform.Http.GetAsync("api/jobs?limit=0")) Assert.AreEqual(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [TestMethod]
    public async Task Validate_PlacesACompileErrorOnTheLineOfItsField()
    {
        const string spec = """
            {
              "name": "broken",
              "steps": [
                { "id": "n", "op": "range", "end": 10 },
                { "id": "doubled", "op": "map", "from": "n",
                  "fn": "x => x * undefinedName" },
                { "op": "count", "from": "doubled" }
              ]
            }
            """;
        using var response = await s_platform.Http.PostAsync("api/specs/validate", new StringContent(spec, Encoding.UTF8, "application/json"));
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.IsFalse(body["valid"]!.GetValue<bool>());
        var problem = body["problems"]!.AsArray().Single()!;
        StringAssert.Contains(problem["message"]!.GetValue<string>(), "undefinedName");
        Assert.AreEqual(2, problem["step"]!.GetValue<int>(), "the second step");
        Assert.AreEqual("fn", problem["field"]!.GetValue<string>());
        Assert.AreEqual(6, problem["documentLine"]!.GetValue<int>(), "the line of \"fn\" in the text");

        using var broken = await s_platform.Http.PostAsync("api/specs/validate", new StringContent("{ \"name\": \"x\",\n  \"steps\": [ }", Encoding.UTF8, "application/json"));
        var syntax = (await broken.Content.ReadFromJsonAsync<JsonNode>())!["problems"]![0]!;
        Assert.AreEqual(2, syntax["documentLine"]!.GetValue<int>());

        using var fine = await s_platform.Http.PostAsync("api/specs/validate", new StringContent(spec.Replace("undefinedName", "2", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.IsTrue((await fine.Content.ReadFromJsonAsync<JsonNode>())!["valid"]!.GetValue<bool>());
    }

    [TestMethod]
    public async Task Files_UploadListDownload_WithPathsCheckedAndSizeLimited()
    {
        using (var put = await s_platform.Http.PutAsync("api/files/input/api/new.txt", new StringContent("hello")))
            Assert.AreEqual(HttpStatusCode.Created, put.StatusCode, await put.Content.ReadAsStringAsync());
        Assert.AreEqual("hello", await s_platform.Http.GetStringAsync("api/files/input/api/new.txt"));
        var listed = (await s_platform.Http.GetFromJsonAsync<JsonArray>("api/files?path=input/api"))!.Select(f => f!["path"]!.GetValue<string>()).ToList();
        CollectionAssert.IsSubsetOf(new[] { "input/api/a.txt", "input/api/new.txt" }, listed);

        foreach (string bad in new[] { "api/files?path=spark/jobs", "api/files?path=input/../spark", "api/files?path=/input/api", "api/files/input%5Capi%5Ca.txt", "api/files?path=elsewhere/x" })
        {
            using var response = await s_platform.Http.GetAsync(bad);
            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, bad);
        }
        using (var missing = await s_platform.Http.GetAsync("api/files/input/api/none.txt")) Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);

        // Too large, and sent without a length (chunked): refused, and what the blob held before is intact.
        var big = new PushStreamContent(new string('x', 10_000));
        using (var tooBig = await s_platform.Http.PutAsync("api/files/input/api/new.txt", big))
        {
            Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
            StringAssert.Contains(await tooBig.Content.ReadAsStringAsync(), "Driver:MaxUploadBytes");
        }
        Assert.AreEqual("hello", await s_platform.Http.GetStringAsync("api/files/input/api/new.txt"));
    }

    private static async Task<int> BlobCountAsync(string container)
    {
        int n = 0;
        await foreach (var _ in s_platform.Storage.GetContainer(container).GetBlobsAsync()) n++;
        return n;
    }

    /// <summary>Content sent chunked, without a Content-Length, as a streaming client would.</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

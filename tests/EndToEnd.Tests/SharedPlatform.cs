using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>
/// One platform (Azurite, a driver, a manager with two executors) shared by the test classes that need no special
/// settings; started once for the assembly and stopped, by process id, at the end.
/// </summary>
[TestClass]
public static class SharedPlatform
{
    private static Platform? s_platform;

    /// <summary>The shared platform.</summary>
    public static Platform Instance => s_platform ?? throw new InvalidOperationException("The shared platform is not started.");

    [AssemblyInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync();
        s_platform.StartManager(executors: 2);
        await s_platform.Storage.GetContainer("input").CreateIfNotExistsAsync();
    }

    [AssemblyCleanup]
    public static async Task Stop()
    {
        if (s_platform is not null) await s_platform.DisposeAsync();
    }
}

/// <summary>What the end-to-end tests do with a platform: upload input, run a job, read its outputs.</summary>
internal static class JobRunner
{
    /// <summary>Uploads text blobs into a container.</summary>
    public static async Task UploadAsync(this Platform platform, string container, IReadOnlyDictionary<string, string> files)
    {
        var client = platform.Storage.GetContainer(container);
        await client.CreateIfNotExistsAsync();
        foreach (var (name, text) in files)
            await client.GetBlobClient(name).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true);
    }

    /// <summary>Submits a spec and waits for its final status, which must be <paramref name="expected"/>.</summary>
    public static async Task<(string JobId, JsonNode Status)> RunAsync(this Platform platform, string spec, string expected = "completed", int timeoutSeconds = 120)
    {
        using var response = await platform.SubmitAsync(spec);
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, body);
        string jobId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        return (jobId, await platform.WaitForStatusAsync(jobId, expected, timeoutSeconds));
    }

    /// <summary>Waits for a job's final status, which must be <paramref name="expected"/>.</summary>
    public static async Task<JsonNode> WaitForStatusAsync(this Platform platform, string jobId, string expected, int timeoutSeconds = 120)
    {
        var status = await platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(timeoutSeconds));
        Assert.AreEqual(expected, status["runtimeStatus"]!.GetValue<string>(), $"{status.ToJsonString()}\n{platform.DescribeProcesses()}");
        return status;
    }

    /// <summary>A completed job's output by action name.</summary>
    public static async Task<JsonNode> OutputAsync(this Platform platform, string jobId, string name)
    {
        // Parsed case-sensitively: a countByKey result may hold both "THE" and "the".
        var results = JsonNode.Parse(await platform.Http.GetStringAsync($"api/jobs/{jobId}/result"))!;
        return results["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == name)!;
    }

    /// <summary>Reads a saved dataset as a user would: the manifest, then each part it lists, in order.</summary>
    public static async Task<List<string>> ReadDatasetAsync(this Platform platform, string path, int? expectedParts = null)
    {
        string container = path[..path.IndexOf('/', StringComparison.Ordinal)];
        string folder = path[(container.Length + 1)..];
        var blobs = platform.Storage.GetContainer(container);
        var manifest = JsonNode.Parse((await blobs.GetBlobClient($"{folder}/_SUCCESS").DownloadContentAsync()).Value.Content.ToString())!;
        var parts = manifest["parts"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        if (expectedParts is int n) CollectionAssert.AreEqual(Enumerable.Range(0, n).Select(i => $"part-{i:D5}").ToList(), parts);
        var lines = new List<string>();
        foreach (var part in parts)
        {
            string text = (await blobs.GetBlobClient($"{folder}/{part}").DownloadContentAsync()).Value.Content.ToString();
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.AreEqual(lines.Count, manifest["records"]!.GetValue<long>(), "the manifest counts the records in its parts");
        return lines;
    }

    /// <summary>Each part's lines, in part order.</summary>
    public static async Task<List<List<string>>> ReadPartsAsync(this Platform platform, string path)
    {
        string container = path[..path.IndexOf('/', StringComparison.Ordinal)];
        string folder = path[(container.Length + 1)..];
        var blobs = platform.Storage.GetContainer(container);
        var manifest = JsonNode.Parse((await blobs.GetBlobClient($"{folder}/_SUCCESS").DownloadContentAsync()).Value.Content.ToString())!;
        var parts = new List<List<string>>();
        foreach (var part in manifest["parts"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()))
            parts.Add([.. (await blobs.GetBlobClient($"{folder}/{part}").DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
        return parts;
    }

    /// <summary>Lines as the tests see them: split on \n, one trailing \r dropped, no phantom line after a final newline.</summary>
    public static List<string> Lines(string text)
    {
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (text.EndsWith('\n') || text.Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>Asserts two multisets of lines are equal, naming a few differences.</summary>
    public static void AssertSameLines(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var e = expected.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var a = actual.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var missing = e.Where(kv => a.GetValueOrDefault(kv.Key) < kv.Value).Take(5).Select(kv => kv.Key).ToList();
        var extra = a.Where(kv => e.GetValueOrDefault(kv.Key) < kv.Value).Take(5).Select(kv => kv.Key).ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0, $"missing: [{string.Join(" | ", missing)}] extra: [{string.Join(" | ", extra)}]");
    }
}

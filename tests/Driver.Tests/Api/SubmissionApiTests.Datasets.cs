using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Spark.Serverless.Driver.Tests.Api;

/// <summary>How submissions read saved datasets: only what a commit finished, never parts of a commit in progress.</summary>
public sealed partial class SubmissionApiTests
{
    private const string CommittedManifest = """
        {"jobId":"x","jobName":"x","format":"text","committedAt":"2026-01-01T00:00:00Z","parts":[{"name":"part-00000","records":1,"bytes":5}]}
        """;

    [TestMethod]
    [DataRow("input/in-progress")]
    [DataRow("input/in-progress/part-*")]
    public async Task Submit_InputBeingCommitted_FailsTheJobInsteadOfReadingItsParts(string path)
    {
        var input = s_platform.Storage.GetContainer("input");
        await input.GetBlobClient("in-progress/part-00000").UploadAsync(new BinaryData("half\n"), overwrite: true);
        await input.GetBlobClient("in-progress/_COMMITTING").UploadAsync(new BinaryData("{}"), overwrite: true);
        using var response = await s_platform.SubmitAsync(Specs.WithStep("lines", "path", $"\"{path}\""));
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        string id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var status = (await s_platform.Http.GetFromJsonAsync<JsonNode>($"api/jobs/{id}"))!;
        Assert.AreEqual("failed", status["runtimeStatus"]!.GetValue<string>());
        StringAssert.Contains(status["error"]!.GetValue<string>(), "still being committed");
    }

    [TestMethod]
    [DataRow("input/committed")]
    [DataRow("input/committed/*")]
    public async Task Submit_CommittedDataset_ReadsExactlyTheManifestsParts(string path)
    {
        var input = s_platform.Storage.GetContainer("input");
        await input.GetBlobClient("committed/part-00000").UploadAsync(new BinaryData("kept\n"), overwrite: true);
        await input.GetBlobClient("committed/part-00001").UploadAsync(new BinaryData("left over from an older dataset\n"), overwrite: true);
        await input.GetBlobClient("committed/_SUCCESS").UploadAsync(new BinaryData(CommittedManifest), overwrite: true);
        string spec = Specs.WithStep("lines", "path", $"\"{path}\"").Replace("output/wc", "output/wc-" + Guid.NewGuid().ToString("N")[..6], StringComparison.Ordinal);
        using var response = await s_platform.SubmitAsync(spec);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        string id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var plan = JsonNode.Parse((await s_platform.Storage.Container.GetBlobClient($"jobs/{id}/plan.json").DownloadContentAsync()).Value.Content.ToString())!;
        var blobs = plan["sources"]!["0"]!.AsArray().Select(split => split!["blob"]!.GetValue<string>()).ToList();
        CollectionAssert.AreEqual(new[] { "committed/part-00000" }, blobs);
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Infra.Tests;

/// <summary>
/// <c>infra/functions/package.sh</c> lays out deployable Function apps: started the way the Functions host starts
/// them (host.json's executable, in the app folder, with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>), each answers on every
/// function's path.
/// </summary>
[TestClass]
public sealed class FunctionsPackageTests
{
    [TestMethod]
    public async Task PackagedApps_StartAsTheHostStartsThem_AndServeEveryFunction()
    {
        string output = Path.Combine(Path.GetTempPath(), $"spark-functions-{Guid.NewGuid():N}");
        try
        {
            await using (var package = ChildProcess.Start("package", "bash", [Infra.Path("functions/package.sh"), "--out", output, "--from-build", RepoPaths.Configuration]))
                Assert.AreEqual(0, await package.WaitForExitAsync(TimeSpan.FromMinutes(2)), package.Output);

            await using var azurite = await AzuriteInstance.StartAsync();
            foreach (string app in new[] { "driver", "executor" })
            {
                string folder = Path.Combine(output, app);
                var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")))!;
                string executable = Path.Combine(folder, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
                Assert.IsTrue(File.Exists(executable), executable);
                var functions = Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(d => Path.GetFileName(d)!).ToList();
                CollectionAssert.AreEquivalent(Directory.GetDirectories(Infra.Path($"functions/{app}")).Select(Path.GetFileName).ToList(), functions);

                int port = FreePorts.Take(1)[0];
                await using var handler = ChildProcess.Start(app, executable, [], new Dictionary<string, string>
                {
                    ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                }, workingDirectory: folder);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                await FreePorts.WaitForListenerAsync(port, TimeSpan.FromSeconds(60), () => !handler.HasExited, () => handler.Output);

                foreach (string function in functions.Where(f => f != "api"))
                {
                    // An empty invocation is refused with a reason, which shows the path is served (not 404).
                    using var response = await http.PostAsync(function, new StringContent("""{ "Data": {}, "Metadata": {} }""", Encoding.UTF8, "application/json"));
                    var status = response.StatusCode;
                    Assert.IsTrue(status is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{app}/{function}: {status} {await response.Content.ReadAsStringAsync()}");
                    StringAssert.Contains(await response.Content.ReadAsStringAsync(), "\"Logs\"");
                }
                if (functions.Contains("api"))
                {
                    using var executors = await http.GetAsync("api/executors");
                    Assert.AreEqual(HttpStatusCode.OK, executors.StatusCode, "the API is served under /api, as the host forwards it");
                }
            }
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Spark.Serverless.Testing;

namespace Spark.Serverless.UI.Tests;

/// <summary>
/// The web UI in headless Chromium against a real platform (Azurite, a driver with keys, a manager and its
/// executors): the jobs list, a job page that updates while the job runs, the executors page's chart, and the
/// submit page's inline compile errors.
/// </summary>
[TestClass]
public sealed class WebUiTests
{
    private const string Key = "ui-test-key-0123456789";
    private static Platform s_platform = null!;
    private static IPlaywright s_playwright = null!;
    private static IBrowser s_browser = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        s_platform = await Platform.StartAsync(new Dictionary<string, string> { ["Driver__ApiKeys"] = Key });
        s_platform.StartManager("ui-manager", minExecutors: 0, maxExecutors: 2, new Dictionary<string, string>
        {
            ["Manager__PollIntervalMs"] = "250",
            ["Manager__SchedulerBacklogTimeoutSeconds"] = "0.5",
            ["Executor__HeartbeatIntervalSeconds"] = "1",
        });
        (s_playwright, s_browser) = await Browser.LaunchAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        if (s_browser is not null) await s_browser.DisposeAsync();
        s_playwright?.Dispose();
        await s_platform.DisposeAsync();
    }

    private static async Task<IPage> OpenAsync(string hash, bool withKey = true)
    {
        var page = await s_browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync($"{s_platform.DriverUri}{(withKey ? $"?code={Key}" : "")}{hash}");
        return page;
    }

    private static async Task<string> SubmitAsync(string spec)
    {
        using var response = await s_platform.SubmitAsync(spec);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
    }

    [TestMethod]
    public async Task JobPage_UpdatesWhileTheJobRuns_AndShowsItsTasksAndLogs()
    {
        string jobId = await SubmitAsync("""
            { "name": "ui-slow", "settings": { "shufflePartitions": 2 }, "steps": [
              { "id": "n", "op": "range", "end": 8000, "numSlices": 8 },
              { "id": "slow", "op": "mapPartitions", "from": "n", "fn": "rs => { Console.WriteLine(\"partition warming up\"); System.Threading.Thread.Sleep(1500); return rs; }" },
              { "id": "pairs", "op": "map", "from": "slow", "fn": "x => (x % 5, 1L)" },
              { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
              { "op": "saveAsTextFile", "from": "counts", "path": "output/ui-slow", "overwrite": true } ] }
            """);
        var page = await OpenAsync("#/jobs");
        var row = page.Locator($"[data-testid=job-row][data-job='{jobId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await row.Locator("a").ClickAsync();
        Assert.IsTrue(page.Url.EndsWith($"#/jobs/{jobId}", StringComparison.Ordinal), page.Url);

        // While it runs: the page updates by itself, a stage's bar moves and a task shows the executor running it.
        await Assertions.Expect(page.Locator("h1 [data-status=running]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var running = page.Locator("[data-testid=task-row][data-status=running]").First;
        await Assertions.Expect(running).ToBeVisibleAsync(new() { Timeout = 30_000 });
        StringAssert.StartsWith(await running.Locator("[data-testid=task-executor]").InnerTextAsync(), "ui-manager-e");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.Screenshot("job-running.png"), FullPage = true });
        Assert.IsTrue(new FileInfo(Browser.Screenshot("job-running.png")).Length > 10_000, "a real screenshot");
        await Assertions.Expect(page.Locator("h1 [data-status=running]")).ToBeVisibleAsync();
        Assert.AreEqual(10, await page.Locator("[data-testid=task-row]").CountAsync(), "eight map tasks and two reducers");

        await Assertions.Expect(page.Locator("h1 [data-status=completed]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=task-row][data-status=succeeded]")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=stage-progress]").First).ToHaveTextAsync("8 / 8");
        foreach (var executor in await page.Locator("[data-testid=task-executor]").AllInnerTextsAsync())
            StringAssert.StartsWith(executor, "ui-manager-e");
        foreach (var gc in await page.Locator("[data-testid=task-gc]").AllInnerTextsAsync())
            StringAssert.Matches(gc, new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? m?s$"), "a committed task shows its GC time");

        await page.Locator("[data-testid=task-row][data-stage='0'][data-partition='3'] [data-testid=logs-button]").ClickAsync();
        var log = page.Locator("[data-testid=task-log]").First;
        await Assertions.Expect(log).ToContainTextAsync("partition warming up");
        await Assertions.Expect(log).ToContainTextAsync("committed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.Screenshot("job-completed.png"), FullPage = true });
    }

    [TestMethod]
    public async Task ExecutorsPage_ChartsQueueDepthAndExecutorsFromTheScaleHistory()
    {
        string jobId = await SubmitAsync("""
            { "name": "ui-chart", "steps": [
              { "id": "n", "op": "range", "end": 600, "numSlices": 6 },
              { "id": "slow", "op": "mapPartitions", "from": "n", "fn": "rs => { System.Threading.Thread.Sleep(700); return rs; }" },
              { "op": "count", "from": "slow" } ] }
            """);
        await s_platform.WaitForJobAsync(jobId, TimeSpan.FromSeconds(90));
        var page = await OpenAsync("#/executors");
        var chart = page.Locator("svg#scale-chart");
        await Assertions.Expect(chart).ToBeVisibleAsync(new() { Timeout = 20_000 });
        int points = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(points >= 2, $"the chart drew {points} decisions");
        foreach (string series in new[] { "queue", "executors" })
        {
            string coordinates = await chart.Locator($"polyline[data-series={series}]").GetAttributeAsync("points") ?? "";
            var ys = coordinates.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(',')[1]).Distinct().Count();
            Assert.IsTrue(ys >= 2, $"the {series} line rises and falls: {coordinates}");
        }
        await Assertions.Expect(page.Locator("[data-testid=executor-row]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.Screenshot("executors.png"), FullPage = true });
    }

    [TestMethod]
    public async Task SubmitPage_ShowsACompileErrorUnderItsLine_ThenSubmitsTheFixedSpec()
    {
        var input = s_platform.Storage.GetContainer("input");
        await input.CreateIfNotExistsAsync();
        await input.GetBlobClient("ui/words.txt").UploadAsync(new BinaryData("to be or not to be\n"), overwrite: true);
        var page = await OpenAsync("#/submit");
        const string broken = """
            {
              "name": "ui-submitted",
              "steps": [
                { "id": "lines", "op": "textFile", "path": "input/ui/words.txt" },
                { "id": "words", "op": "flatMap", "from": "lines",
                  "fn": "l => l.Splitt(' ')" },
                { "op": "count", "from": "words" }
              ]
            }
            """;
        var editor = page.Locator("[data-testid=spec]");
        await editor.FillAsync(broken);
        var problem = page.Locator("[data-testid=annotated] [data-testid=problem]");
        await Assertions.Expect(problem).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        Assert.AreEqual("6", await problem.GetAttributeAsync("data-line"), "under the line of the flatMap's fn");
        StringAssert.Contains(await problem.InnerTextAsync(), "step 'words' (flatMap): fn");
        StringAssert.Contains(await problem.InnerTextAsync(), "error CS1061");
        StringAssert.Contains(await problem.InnerTextAsync(), "Splitt");

        await editor.FillAsync(broken.Replace("Splitt", "Split", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=valid]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.Locator("[data-testid=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("#/jobs/[0-9a-f-]+$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("ui-submitted");
        await Assertions.Expect(page.Locator("h1 [data-status=completed]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
    }

    [TestMethod]
    public async Task WithoutTheKey_ThePageSaysAKeyIsRequired()
    {
        var page = await OpenAsync("#/jobs", withKey: false);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("A key is required");
    }
}

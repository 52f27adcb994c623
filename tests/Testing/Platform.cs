using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Testing;

/// <summary>
/// The platform as separate processes on a private Azurite: a Driver and either a Manager or bare executors.
/// Everything is started on free ports and stopped by process id on dispose.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    private Platform(AzuriteInstance azurite, Uri driverUri)
    {
        Azurite = azurite;
        DriverUri = driverUri;
        Http = new HttpClient { BaseAddress = driverUri, Timeout = TimeSpan.FromSeconds(60) };
        Storage = azurite.CreateStorage();
    }

    /// <summary>The storage emulator.</summary>
    public AzuriteInstance Azurite { get; }

    /// <summary>The driver's base URI.</summary>
    public Uri DriverUri { get; }

    /// <summary>An HTTP client for the driver.</summary>
    public HttpClient Http { get; }

    /// <summary>Storage clients with the platform's names.</summary>
    public SparkStorage Storage { get; }

    /// <summary>The processes started, driver first.</summary>
    public IReadOnlyList<ChildProcess> Processes => _processes;

    /// <summary>The environment every platform process gets.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["DOTNET_gcServer"] = "0",
        };
        if (extra is not null)
            foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    /// <summary>Starts Azurite and a Driver and waits until the driver answers <c>/health</c>.</summary>
    public static async Task<Platform> StartAsync(IReadOnlyDictionary<string, string>? driverSettings = null)
    {
        var azurite = await AzuriteInstance.StartAsync();
        int port = FreePorts.Take(1)[0];
        var platform = new Platform(azurite, new Uri($"http://127.0.0.1:{port}/"));
        // A driver with keys gets the first one on every request of the platform's client.
        if (driverSettings?.GetValueOrDefault("Driver__ApiKeys") is { Length: > 0 } keys)
            platform.Http.DefaultRequestHeaders.Add("x-functions-key", keys.Split(',')[0].Trim());
        try
        {
            var driver = platform.LaunchDriver("driver", port, driverSettings);
            await WaitForHealthAsync(platform.Http, driver);
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
        return platform;
    }

    /// <summary>Starts another driver on its own port; returns it and a client for its API.</summary>
    public async Task<(ChildProcess Driver, HttpClient Http)> StartDriverAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        int port = FreePorts.Take(1)[0];
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        var driver = LaunchDriver(name, port, settings);
        await WaitForHealthAsync(http, driver);
        return (driver, http);
    }

    /// <summary>
    /// Starts a host (<c>Spark.Serverless.Driver</c> or <c>Spark.Serverless.ExecutorFunction</c>) as an Azure Functions
    /// custom handler: on the port a Functions host would give it in <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>. Returns it and
    /// a client for its port once it answers <c>/health</c>.
    /// </summary>
    public async Task<(ChildProcess Process, HttpClient Http)> StartCustomHandlerAsync(string name, string project, IReadOnlyDictionary<string, string>? settings = null)
    {
        int port = FreePorts.Take(1)[0];
        var env = Environment(settings);
        env["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var process = ChildProcess.StartDotnet(name, project, project + ".dll", [], env);
        _processes.Add(process);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(120) };
        await WaitForHealthAsync(http, process);
        return (process, http);
    }

    private ChildProcess LaunchDriver(string name, int port, IReadOnlyDictionary<string, string>? settings)
    {
        var env = Environment(settings);
        env["Driver__Urls"] = $"http://127.0.0.1:{port}";
        var driver = ChildProcess.StartDotnet(name, "Spark.Serverless.Driver", "Spark.Serverless.Driver.dll", [], env);
        _processes.Add(driver);
        return driver;
    }

    /// <summary>Starts one executor process with the given id.</summary>
    public ChildProcess StartExecutor(string id, int slots = 2, IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = Environment(settings);
        env["Executor__Id"] = id;
        env["Executor__Slots"] = slots.ToString(CultureInfo.InvariantCulture);
        var executor = ChildProcess.StartDotnet(id, "Spark.Serverless.ExecutorFunction", "Spark.Serverless.ExecutorFunction.dll", [], env);
        _processes.Add(executor);
        return executor;
    }

    /// <summary>Starts a Manager that keeps exactly <paramref name="executors"/> executors running (minimum = maximum).</summary>
    public ChildProcess StartManager(int executors, IReadOnlyDictionary<string, string>? settings = null) =>
        StartManager("manager", executors, executors, settings);

    /// <summary>Starts a Manager named <paramref name="id"/> that scales between <paramref name="minExecutors"/> and <paramref name="maxExecutors"/>.</summary>
    public ChildProcess StartManager(string id, int minExecutors, int maxExecutors, IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = Environment(settings);
        env["Manager__Id"] = id;
        env["Manager__MinExecutors"] = minExecutors.ToString(CultureInfo.InvariantCulture);
        env["Manager__MaxExecutors"] = maxExecutors.ToString(CultureInfo.InvariantCulture);
        env["Manager__ExecutorPath"] = RepoPaths.Artifact("Spark.Serverless.ExecutorFunction", "Spark.Serverless.ExecutorFunction.dll");
        var manager = ChildProcess.StartDotnet(id, "Spark.Serverless.Manager", "Spark.Serverless.Manager.dll", [], env);
        _processes.Add(manager);
        return manager;
    }

    /// <summary>Posts a spec; returns the response.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string specJson) =>
        Http.PostAsync("api/jobs", new StringContent(specJson, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Polls a job until it reaches a final status; fails with every process's output if it takes too long.</summary>
    public async Task<JsonNode> WaitForJobAsync(string jobId, TimeSpan timeout, HttpClient? driver = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await (driver ?? Http).GetFromJsonAsync<JsonNode>($"api/jobs/{jobId}") ?? throw new InvalidOperationException("Empty status.");
            if (status["runtimeStatus"]!.GetValue<string>() is "completed" or "failed" or "canceled") return status;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Job {jobId} did not finish within {timeout.TotalSeconds} s. Status: {status.ToJsonString()}\n{DescribeProcesses()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until some process has printed <paramref name="text"/>; returns that process.</summary>
    public async Task<ChildProcess> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _processes.FirstOrDefault(p => p.Output.Contains(text, StringComparison.Ordinal));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No process printed \"{text}\" within {timeout.TotalSeconds} s.\n{DescribeProcesses()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every process's output, for failure messages.</summary>
    public string DescribeProcesses() =>
        string.Join("\n", _processes.Select(p => $"---- {p.Name} (pid {p.Id}, exited: {p.HasExited}) ----\n{p.Output}"));

    private static async Task WaitForHealthAsync(HttpClient http, ChildProcess driver)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (driver.HasExited) throw new InvalidOperationException($"The driver exited during start-up:\n{driver.Output}");
            try
            {
                using var response = await http.GetAsync("health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The driver did not become healthy:\n{driver.Output}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var process in Enumerable.Reverse(_processes)) await process.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

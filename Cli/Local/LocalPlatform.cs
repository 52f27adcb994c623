using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Spark.Serverless.Hosting;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Cli.Local;

/// <summary>
/// <c>up</c> and <c>down</c>: Azurite, a driver and a manager (which starts executors as tasks wait) as background
/// processes of this machine, found next to this CLI's build; their ids go to <c>{home}/platform.json</c>, and
/// <c>down</c> stops exactly those, the manager first so that its executors drain.
/// </summary>
internal static class LocalPlatform
{
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Starts the platform and returns its state.</summary>
    public static async Task<PlatformState> UpAsync(DirectoryInfo home, int port, int maxExecutors, bool inMemory, CancellationToken cancellationToken)
    {
        if (PlatformState.TryRead(home) is { } running && running.Processes.Any(p => p.Find() is not null))
            throw new CliException($"a platform started from {home.FullName} is already running at {running.Url}; 'spark-serverless down' stops it", CliException.BadInput);
        if (!PortIsFree(port))
            throw new CliException($"port {port} is in use; pass --port to choose another", CliException.BadInput);
        string driver = Build("Spark.Serverless.Driver");
        string manager = Build("Spark.Serverless.Manager");
        string executor = Build("Spark.Serverless.ExecutorFunction");
        string azurite = FindAzurite();

        home.Create();
        string logs = Directory.CreateDirectory(Path.Combine(home.FullName, "logs")).FullName;
        string data = Directory.CreateDirectory(Path.Combine(home.FullName, "azurite")).FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        string connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;";
        string url = $"http://127.0.0.1:{port}";
        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connection,
            ["Driver__Urls"] = url,
            ["Manager__MaxExecutors"] = maxExecutors.ToString(CultureInfo.InvariantCulture),
            ["Manager__ExecutorPath"] = executor,
        };
        var started = new List<StartedProcess>();
        try
        {
            started.Add(Start("azurite", "node", [azurite, inMemory ? "--inMemoryPersistence" : "--location", .. inMemory ? Array.Empty<string>() : [data],
                "--silent", "--skipApiVersionCheck", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", Text(blob), "--queuePort", Text(queue), "--tablePort", Text(table)],
                new Dictionary<string, string>(env.Concat(LocalAzurite.AllocatorSettings)), logs, home));
            await WaitForPortAsync(queue, started[^1], logs, cancellationToken).ConfigureAwait(false);
            started.Add(Start("driver", "dotnet", [driver], env, logs, home));
            await WaitForHealthAsync(url, started[^1], logs, cancellationToken).ConfigureAwait(false);
            started.Add(Start("manager", "dotnet", [manager], env, logs, home));
        }
        catch
        {
            await StopAsync(started).ConfigureAwait(false);
            throw;
        }
        var state = new PlatformState(url, connection, logs, started);
        state.Write(home);
        return state;
    }

    /// <summary>Stops what <c>up</c> started from this home; returns how many processes were still running.</summary>
    public static async Task<int> DownAsync(DirectoryInfo home)
    {
        var state = PlatformState.TryRead(home);
        if (state is null) return -1;
        int stopped = await StopAsync(state.Processes).ConfigureAwait(false);
        File.Delete(PlatformState.FileIn(home));
        return stopped;
    }

    /// <summary>SIGTERM, newest first, each given time to drain (the manager waits for its executors); SIGKILL after that.</summary>
    private static async Task<int> StopAsync(IReadOnlyList<StartedProcess> processes)
    {
        int stopped = 0;
        foreach (var started in processes.Reverse())
        {
            using var process = started.Find();
            if (process is null) continue;
            stopped++;
            Signals.Terminate(process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(started.Name == "manager" ? 90 : 30));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return stopped;
    }

    /// <summary>Starts a process detached from this one (its own session when <c>setsid</c> exists), its output appended to a log file.</summary>
    private static StartedProcess Start(string name, string program, IReadOnlyList<string> arguments, Dictionary<string, string> env, string logs, DirectoryInfo home)
    {
        bool setsid = File.Exists("/usr/bin/setsid") || File.Exists("/bin/setsid");
        var start = new ProcessStartInfo(setsid ? "setsid" : "sh") { UseShellExecute = false, WorkingDirectory = home.FullName };
        if (setsid) start.ArgumentList.Add("sh");
        // exec: the shell becomes the program, so the recorded id is the program's own.
        foreach (string a in new[] { "-c", "exec \"$0\" \"$@\" >>\"$SPARK_LOG\" 2>&1 </dev/null", program }.Concat(arguments)) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        start.Environment["SPARK_LOG"] = Path.Combine(logs, name + ".log");
        // setsid only forks for a process-group leader, which a child of ours is not: it, sh and the program are one process.
        using var process = Process.Start(start) ?? throw new CliException($"could not start {program}", CliException.Unreachable);
        return new StartedProcess(name, process.Id, process.StartTime);
    }

    private static async Task WaitForPortAsync(int port, StartedProcess process, string logs, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 300; i++)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                EnsureRunning(process, logs);
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new CliException($"{process.Name} did not open port {port} within 30 s; see {Path.Combine(logs, process.Name + ".log")}", CliException.Unreachable);
    }

    private static async Task WaitForHealthAsync(string url, StartedProcess process, string logs, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 600; i++)
        {
            try
            {
                using var response = await http.GetAsync($"{url}/health", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            EnsureRunning(process, logs);
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new CliException($"the driver did not answer {url}/health within 60 s; see {Path.Combine(logs, "driver.log")}", CliException.Unreachable);
    }

    private static void EnsureRunning(StartedProcess process, string logs)
    {
        if (process.Find() is { } alive)
        {
            alive.Dispose();
            return;
        }
        string log = Path.Combine(logs, process.Name + ".log");
        string last = File.Exists(log) ? File.ReadLines(log).LastOrDefault(l => l.Trim().Length > 0) ?? "" : "";
        throw new CliException($"{process.Name} exited while starting: {last} (see {log})", CliException.Unreachable);
    }

    /// <summary>A host's build output next to this CLI's: artifacts/bin/{project}/{configuration}/{project}.dll.</summary>
    private static string Build(string project)
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(own.Parent!.Parent!.FullName, project, own.Name, project + ".dll");
        return File.Exists(path) ? path : throw new CliException($"{path} is missing: build the solution first (./run.sh does)", CliException.BadInput);
    }

    /// <summary>Azurite from the repository's pinned npm install, found above this CLI's build.</summary>
    private static string FindAzurite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(candidate)) return candidate;
        }
        throw new CliException("Azurite is not installed: run 'npm ci' in the repository (./run.sh does)", CliException.BadInput);
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}

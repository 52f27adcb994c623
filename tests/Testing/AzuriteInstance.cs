using Spark.Serverless.Storage;

namespace Spark.Serverless.Testing;

/// <summary>
/// A private Azurite (in memory) on free ports, started from the repository's pinned npm install and stopped,
/// by its own process id, when disposed.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly ChildProcess _process;
    private readonly string _workDir;

    private AzuriteInstance(ChildProcess process, string workDir, int blobPort, int queuePort)
    {
        _process = process;
        _workDir = workDir;
        BlobPort = blobPort;
        QueuePort = queuePort;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;";
    }

    /// <summary>The blob service's port.</summary>
    public int BlobPort { get; }

    /// <summary>The queue service's port.</summary>
    public int QueuePort { get; }

    /// <summary>A connection string for this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>Azurite's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts Azurite and waits until the blob and queue services accept connections.</summary>
    public static async Task<AzuriteInstance> StartAsync()
    {
        string script = Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script)) throw new FileNotFoundException($"Azurite is not installed at {script}: run ./test.sh (it runs npm ci).");
        var ports = FreePorts.Take(3);
        string workDir = Directory.CreateTempSubdirectory("azurite-").FullName;
        var process = ChildProcess.Start("azurite", "node",
        [
            script, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], LocalAzurite.AllocatorSettings, workDir);
        var instance = new AzuriteInstance(process, workDir, ports[0], ports[1]);
        try
        {
            await FreePorts.WaitForListenerAsync(ports[0], TimeSpan.FromSeconds(60), () => !process.HasExited, () => process.Output);
            await FreePorts.WaitForListenerAsync(ports[1], TimeSpan.FromSeconds(60), () => !process.HasExited, () => process.Output);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    /// <summary>Storage clients for this instance with the default container and queue names.</summary>
    public SparkStorage CreateStorage(SparkOptions? options = null)
    {
        options ??= new SparkOptions();
        options.ConnectionString = ConnectionString;
        return new SparkStorage(options);
    }

    /// <summary>Storage clients for this instance, with the platform's container and queues created.</summary>
    public async Task<SparkStorage> CreateStorageAsync(SparkOptions? options = null)
    {
        var storage = CreateStorage(options);
        await storage.EnsureCreatedAsync();
        return storage;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

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

    /// <summary>
    /// glibc settings Azurite runs with (<c>scripts/platform.sh</c> sets the same): buffers up to 32 MB come from the
    /// heap, and freed heap memory stays mapped instead of going back to the kernel.
    /// </summary>
    /// <remarks>
    /// In memory, Azurite keeps a blob as the pieces its uploads' bodies arrived in, and every download copies a range's
    /// pieces into one new buffer (the <c>multistream</c> package it reads them through calls <c>read()</c>, which
    /// joins all that is buffered; read from its code). A 16 MB range is then a fresh 16 MB allocation, which glibc
    /// served from newly mapped pages: perf during Q1's map stage put 21% of Azurite's samples in that copy and 15%
    /// in the kernel's page faults under it, with Azurite using a whole core and the executors' task threads a third
    /// of one each. With these settings, <c>spark-bench storage-ceiling</c> downloaded one stream at 224 and 245 MB/s
    /// against 141 and 201 (two alternating pairs; in two pairs before them, with a threshold too high for glibc,
    /// which then ignores it, 190 and 225 against 148 and 155). They change nothing but where Azurite's memory comes
    /// from.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> AllocatorSettings { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = "33554432",
        ["MALLOC_TRIM_THRESHOLD_"] = "1073741824",
        ["MALLOC_TOP_PAD_"] = "67108864",
    };

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
        ], AllocatorSettings, workDir);
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

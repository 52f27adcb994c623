using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Spark.Serverless.Storage;

/// <summary>
/// The storage clients every host uses: the platform container, the task, control and poison queues,
/// and any other container a dataset path names. Clients are thread-safe and meant to be shared.
/// </summary>
public sealed class SparkStorage
{
    private readonly BlobServiceClient _blobs;
    private readonly QueueServiceClient _queues;

    /// <summary>Creates the clients from validated options.</summary>
    public SparkStorage(SparkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var blobOptions = new BlobClientOptions();
        Configure(blobOptions, options, TimeSpan.FromSeconds(60));
        // Base64 is what the Functions queue trigger expects, so the same messages work behind a custom handler.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Configure(queueOptions, options, TimeSpan.FromSeconds(30));
        _blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
        _queues = new QueueServiceClient(options.ConnectionString, queueOptions);
        Container = _blobs.GetBlobContainerClient(options.Container);
        Tasks = _queues.GetQueueClient(options.TaskQueue);
        Control = _queues.GetQueueClient(options.ControlQueue);
        Poison = _queues.GetQueueClient(options.PoisonQueue);
    }

    /// <summary>The SDK's own per-request retries: quick and several, since a busy emulator or account answers 503 in bursts.</summary>
    private static void Configure(Azure.Core.ClientOptions client, SparkOptions options, TimeSpan networkTimeout)
    {
        client.Retry.NetworkTimeout = networkTimeout;
        client.Retry.MaxRetries = 5;
        client.Retry.Mode = Azure.Core.RetryMode.Exponential;
        client.Retry.Delay = TimeSpan.FromMilliseconds(100);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        if (options.FaultInjectionRate > 0)
            client.AddPolicy(new FaultInjectionPolicy(options.FaultInjectionRate, Environment.ProcessId), Azure.Core.HttpPipelinePosition.PerRetry);
    }

    /// <summary>The options these clients were made from.</summary>
    public SparkOptions Options { get; }

    /// <summary>The platform's own container (<c>spark</c> by default).</summary>
    public BlobContainerClient Container { get; }

    /// <summary>The task queue.</summary>
    public QueueClient Tasks { get; }

    /// <summary>The control queue of orchestration events.</summary>
    public QueueClient Control { get; }

    /// <summary>The poison queue for task messages delivered too often.</summary>
    public QueueClient Poison { get; }

    /// <summary>The blob service, for listing containers.</summary>
    public BlobServiceClient BlobService => _blobs;

    /// <summary>A client for a container that a dataset path names.</summary>
    public BlobContainerClient GetContainer(string name) => _blobs.GetBlobContainerClient(name);

    /// <summary>A client for the blob a <c>container/name</c> path names.</summary>
    public BlobClient GetBlob(Spark.Serverless.IO.BlobPath path) =>
        _blobs.GetBlobContainerClient(path.Container).GetBlobClient(path.Name);

    /// <summary>Creates the platform container and the queues if they do not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(
            Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Tasks.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Control.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

using Azure;
using Azure.Storage.Blobs.Specialized;
using Spark.Serverless.IO;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Execution;

/// <summary>
/// Everything a running task attempt needs: which task it is, the job's plan, storage, and counters of what
/// it read and wrote. One per attempt; used from the attempt's own thread.
/// </summary>
internal sealed class TaskContext(SparkStorage storage, JobPlan plan, TaskMessage task, string attemptId, string executorId, CancellationToken cancellationToken)
{
    private readonly List<BlobRangeStream> _reads = [];
    private readonly List<BlobWriteStream> _writes = [];
    private readonly Dictionary<int, MapOutputs> _mapOutputs = [];
    private long _otherRequests;
    private long _otherBytesIn;

    /// <summary>Storage clients.</summary>
    public SparkStorage Storage => storage;

    /// <summary>The job's plan.</summary>
    public JobPlan Plan => plan;

    /// <summary>The task message being run.</summary>
    public TaskMessage Task => task;

    /// <summary>This execution's attempt id: names its files and its commit marker.</summary>
    public string AttemptId => attemptId;

    /// <summary>The executor running the attempt.</summary>
    public string ExecutorId => executorId;

    /// <summary>Signalled when the attempt should stop (job canceled, lease lost, executor stopping hard).</summary>
    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Records read from splits or shuffle blocks.</summary>
    public long RecordsIn { get; set; }

    /// <summary>Records written.</summary>
    public long RecordsOut { get; set; }

    /// <summary>Opens a stream over an input split, from one byte before its start (see <see cref="LineSplitReader"/>).</summary>
    public BlobRangeStream OpenSplit(InputSplit split)
    {
        var blob = storage.GetContainer(split.Container).GetBlobClient(split.Blob);
        var stream = new BlobRangeStream(blob, split.Start == 0 ? 0 : split.Start - 1, split.BlobLength, split.End);
        _reads.Add(stream);
        return stream;
    }

    /// <summary>Opens a stream over exactly <paramref name="length"/> bytes of a blob in the platform container.</summary>
    public BlobRangeStream OpenRange(string blobName, long offset, long length)
    {
        var blob = storage.Container.GetBlobClient(blobName);
        var stream = new BlobRangeStream(blob, offset, offset + length, offset + length);
        _reads.Add(stream);
        return stream;
    }

    /// <summary>Opens a write stream into a block blob; call <see cref="BlobWriteStream.Complete"/> to make it visible.</summary>
    public BlobWriteStream CreateBlob(string container, string blobName)
    {
        var stream = new BlobWriteStream(storage.GetContainer(container).GetBlockBlobClient(blobName));
        _writes.Add(stream);
        return stream;
    }

    /// <summary>Uploads a small blob in one request.</summary>
    public void UploadSmall(string blobName, BinaryData content)
    {
        storage.Container.GetBlobClient(blobName).Upload(content, overwrite: true, cancellationToken);
        _otherRequests++;
    }

    /// <summary>The committed map outputs of the shuffle a node reads, written by the driver when the map stage finished.</summary>
    public MapOutputs GetMapOutputs(int shuffleNodeId)
    {
        if (_mapOutputs.TryGetValue(shuffleNodeId, out var cached)) return cached;
        var stage = plan.Stages.Single(s => s.Kind == StageKind.ShuffleMap && s.NodeId == shuffleNodeId);
        BinaryData content;
        try
        {
            content = storage.Container.GetBlobClient(StorageLayout.MapOutputs(task.JobId, stage.Id)).DownloadContent(cancellationToken).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FetchFailedException(stage.Id, -1, $"Map outputs of stage {stage.Id} are missing.", e);
        }
        _otherRequests++;
        _otherBytesIn += content.ToMemory().Length;
        var outputs = SparkJson.FromBinary<MapOutputs>(content);
        _mapOutputs[shuffleNodeId] = outputs;
        return outputs;
    }

    /// <summary>Sums what the attempt read and wrote.</summary>
    public TaskMetrics CollectMetrics(DateTimeOffset startedAt, TimeSpan duration) => new()
    {
        RecordsIn = RecordsIn,
        RecordsOut = RecordsOut,
        BytesIn = _reads.Sum(r => r.BytesFetched) + _otherBytesIn,
        BytesOut = _writes.Sum(w => w.Length),
        Requests = _reads.Sum(r => r.Requests) + _writes.Sum(w => w.Requests) + _otherRequests,
        StartedAt = startedAt,
        DurationMs = duration.TotalMilliseconds,
    };
}

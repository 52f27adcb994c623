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
internal sealed class TaskContext(SparkStorage storage, JobPlan plan, TaskMessage task, string attemptId, string executorId, TaskEnvironment environment, CancellationToken cancellationToken)
{
    private static readonly AsyncLocal<TaskContext?> CurrentContext = new();
    private readonly Dictionary<string, AccumulatorUpdate> _accumulators = [];
    private readonly List<BlobRangeStream> _reads = [];
    private readonly List<BlobWriteStream> _writes = [];
    private readonly Dictionary<int, MapOutputs> _mapOutputs = [];
    private readonly TimeSpan _gcPausedBefore = GC.GetTotalPauseDuration();
    private readonly TimeSpan _jitBefore = System.Runtime.JitInfo.GetCompilationTime();
    private long _otherRequests;
    private long _otherBytesIn;

    /// <summary>Counts a request made outside the tracked streams.</summary>
    public void CountRequest(long bytesIn = 0)
    {
        _otherRequests++;
        _otherBytesIn += bytesIn;
    }

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

    /// <summary>The task running on this thread (and the tasks it starts), for accumulators; null outside tasks.</summary>
    public static TaskContext? Current => CurrentContext.Value;

    /// <summary>The executor's memory budget, spill folder and job-wide caches.</summary>
    public TaskEnvironment Environment => environment;

    /// <summary>Partitions read from persisted data instead of being computed.</summary>
    public int CachedPartitions { get; set; }

    /// <summary>Spill files written.</summary>
    public int Spills { get; private set; }

    /// <summary>Bytes written to spill files.</summary>
    public long SpillBytes { get; private set; }

    /// <summary>Makes this the <see cref="Current"/> task for the code that runs inside <paramref name="body"/>.</summary>
    public T RunAsCurrent<T>(Func<T> body)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = this;
        try
        {
            return body();
        }
        finally
        {
            CurrentContext.Value = previous;
        }
    }

    /// <summary>Counts a spill.</summary>
    public void RecordSpill(long bytes)
    {
        Spills++;
        SpillBytes += bytes;
    }

    /// <summary>Adds to this task's own value of an accumulator (summed by the driver once per successful task).</summary>
    public void Accumulate(string name, long value)
    {
        lock (_accumulators)
            _accumulators[name] = _accumulators.TryGetValue(name, out var old) ? old with { Long = old.Long + value } : new AccumulatorUpdate(name, false, value, 0);
    }

    /// <summary>Adds to this task's own value of a floating-point accumulator.</summary>
    public void Accumulate(string name, double value)
    {
        lock (_accumulators)
            _accumulators[name] = _accumulators.TryGetValue(name, out var old) ? old with { Double = old.Double + value } : new AccumulatorUpdate(name, true, 0, value);
    }

    /// <summary>This task's accumulator values.</summary>
    public IReadOnlyList<AccumulatorUpdate> AccumulatorUpdates
    {
        get
        {
            lock (_accumulators) return [.. _accumulators.Values];
        }
    }

    /// <summary>A value computed once per job on this executor and shared by its tasks.</summary>
    public T Shared<T>(string key, Func<T> create) where T : class =>
        (T)environment.Shared.GetOrAdd(key, _ => new Lazy<object>(() => create(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Records read from splits or shuffle blocks.</summary>
    public long RecordsIn { get; set; }

    /// <summary>Records written.</summary>
    public long RecordsOut { get; set; }

    /// <summary>Opens a stream over an input split, from one byte before its start (see <see cref="LineSplitReader"/>).</summary>
    public BlobRangeStream OpenSplit(InputSplit split)
    {
        var blob = storage.GetContainer(split.Container).GetBlobClient(split.Blob);
        var etag = split.ETag is null ? (Azure.ETag?)null : new Azure.ETag(split.ETag);
        // A sample task stops after its sample's records, well inside the split.
        bool sampling = plan.Stages[task.StageId].Kind == StageKind.Sample;
        var stream = new BlobRangeStream(blob, split.Start == 0 ? 0 : split.Start - 1, split.BlobLength, split.End, etag: etag, readAhead: !sampling);
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
    /// <param name="container">The container.</param>
    /// <param name="blobName">The blob.</param>
    /// <param name="createOnly">Refuse to replace an existing blob (the completion then reports it lost the race).</param>
    public BlobWriteStream CreateBlob(string container, string blobName, bool createOnly = false)
    {
        var stream = new BlobWriteStream(storage.GetContainer(container).GetBlockBlobClient(blobName), createOnly: createOnly);
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
        var outputs = StageOutputs.Read(storage, task.JobId, stage.Id);
        _otherRequests++;
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
        Spills = Spills,
        SpillBytes = SpillBytes,
        CachedPartitions = CachedPartitions,
        StartedAt = startedAt,
        DurationMs = duration.TotalMilliseconds,
        DispatchMs = task.EnqueuedAt is { } enqueued ? Math.Max(0, (startedAt - enqueued).TotalMilliseconds) : null,
        PeakRssBytes = PeakMemory.Bytes(),
        GcPauseMs = (GC.GetTotalPauseDuration() - _gcPausedBefore).TotalMilliseconds,
        JitMs = (System.Runtime.JitInfo.GetCompilationTime() - _jitBefore).TotalMilliseconds,
    };
}

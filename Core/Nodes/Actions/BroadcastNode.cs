using Azure.Storage.Blobs.Models;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;
using Spark.Serverless.Serialization;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Nodes;

/// <summary>
/// The stage behind <see cref="Dataset{T}.ToBroadcast"/>: its tasks write their partition's records; every executor
/// then loads all parts once, on the first read of <see cref="Broadcast{T}.Value"/>.
/// </summary>
internal sealed class BroadcastNode<T, TValue>(PlanNode<T> parent, Broadcast<TValue> handle, Func<IReadOnlyList<T>, TValue> build)
    : PlanNode("broadcast", parent), IResultTask, IRuntimeBound, IBroadcastNode
{
    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <inheritdoc />
    public StageKind StageKind => StageKind.Broadcast;

    /// <inheritdoc />
    public TaskOutput RunResultTask(TaskContext context, int partition)
    {
        var codec = RecordCodec.For<T>();
        using var records = new RecordWriter(null);
        long count = 0;
        foreach (var record in parent.Compute(context, partition))
        {
            codec.Write(records, record);
            count++;
        }
        string blob = StorageLayout.AttemptOutput(context.Task.JobId, context.Task.StageId, partition, context.AttemptId);
        using var frames = new MemoryStream();
        if (count > 0) ShuffleBlock.WriteFrame(records.WrittenSpan, frames);
        context.UploadSmall(blob, new BinaryData(frames.ToArray()));
        context.RecordsOut += count;
        return new TaskOutput([blob], [0, frames.Length], count, frames.Length);
    }

    /// <inheritdoc />
    public ActionInfo Describe(int stageId) => new(Id, stageId, Op, Name ?? handle.Id);

    /// <inheritdoc />
    public void Bind(RuntimeBinding binding) => handle.Bind(() => build(Load(binding)));

    private List<T> Load(RuntimeBinding binding)
    {
        var stage = binding.Plan.Stages.Single(s => s.Kind == StageKind.Broadcast && s.NodeId == Id);
        var outputs = StageOutputs.Read(binding.Storage, binding.Plan.JobId, stage.Id);
        var all = new List<T>();
        foreach (var output in outputs.Outputs)
        {
            long length = output.Offsets[^1];
            if (length == 0) continue;
            using var content = binding.Storage.Container.GetBlobClient(output.DataBlob).DownloadStreaming(new BlobDownloadOptions()).Value.Content;
            all.AddRange(ShuffleReader.ReadRecords<T>(content, length));
        }
        return all;
    }
}

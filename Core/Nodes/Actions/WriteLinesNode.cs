using System.Globalization;
using System.Text;
using System.Text.Json;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;
using Spark.Serverless.Planning;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Nodes;

/// <summary>
/// The actions whose tasks write their partition as lines to an attempt-scoped blob, which the job commit then uses:
/// <c>saveAsTextFile</c> and <c>saveAsJsonLines</c> promote the blobs to part files; <c>collect</c>, <c>take</c> and
/// <c>countByKey</c> (one JSON value per line) gather them into the job's result.
/// </summary>
internal sealed class WriteLinesNode<T> : PlanNode, IResultTask
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly PlanNode<T> _parent;
    private readonly BlobPath? _path;
    private readonly bool _overwrite;
    private readonly int? _limit;
    private readonly bool _json;

    private WriteLinesNode(PlanNode<T> parent, string op, string? name, BlobPath? path, bool overwrite, int? limit, bool json) : base(op, parent)
    {
        _parent = parent;
        _path = path;
        _overwrite = overwrite;
        _limit = limit;
        _json = json;
        Name = name;
    }

    /// <summary>saveAsTextFile: records as text lines.</summary>
    public static WriteLinesNode<T> Text(PlanNode<T> parent, BlobPath path, bool overwrite, string? name) => new(parent, "saveAsTextFile", name, path, overwrite, null, json: false);

    /// <summary>saveAsJsonLines: records as JSON lines.</summary>
    public static WriteLinesNode<T> JsonLines(PlanNode<T> parent, BlobPath path, bool overwrite, string? name) => new(parent, "saveAsJsonLines", name, path, overwrite, null, json: true);

    /// <summary>collect, take or countByKey: records as JSON lines gathered into the result.</summary>
    public static WriteLinesNode<T> Result(PlanNode<T> parent, string op, string? name, int? limit = null) => new(parent, op, name, null, false, limit, json: true);

    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <inheritdoc />
    public TaskOutput RunResultTask(TaskContext context, int partition)
    {
        string blobName = StorageLayout.AttemptOutput(context.Task.JobId, context.Task.StageId, partition, context.AttemptId);
        using var stream = context.CreateBlob(context.Storage.Options.Container, blobName);
        long records = 0;
        using (var writer = new StreamWriter(stream, Utf8NoBom, 64 << 10, leaveOpen: true) { NewLine = "\n" })
        {
            foreach (var record in _parent.Compute(context, partition))
            {
                if (records == _limit) break;
                if (_json) writer.Write(JsonSerializer.Serialize(record, SparkJson.Records));
                else TextFormat.Write(writer, record);
                writer.Write('\n');
                records++;
            }
        }
        stream.Complete();
        context.RecordsOut += records;
        return new TaskOutput([blobName], null, records, stream.Length);
    }

    /// <inheritdoc />
    public ActionInfo Describe(int stageId) => new(Id, stageId, Op, Name ?? $"{Op}-{Id}", _path?.ToString(), _overwrite, _limit);

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" path={_path} overwrite={_overwrite} limit={_limit}");
}

/// <summary><c>count</c>: each task counts its partition; the job commit sums the counts.</summary>
internal sealed class CountNode<T> : PlanNode, IResultTask
{
    private readonly PlanNode<T> _parent;

    public CountNode(PlanNode<T> parent, string? name) : base("count", parent)
    {
        _parent = parent;
        Name = name;
    }

    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <inheritdoc />
    public TaskOutput RunResultTask(TaskContext context, int partition)
    {
        long count = 0;
        foreach (var _ in _parent.Compute(context, partition)) count++;
        return new TaskOutput([], null, count, 0);
    }

    /// <inheritdoc />
    public ActionInfo Describe(int stageId) => new(Id, stageId, Op, Name ?? $"{Op}-{Id}");
}

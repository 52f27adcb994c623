using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Planning;

/// <summary><c>saveAsTextFile</c>: each task writes its partition as text to an attempt-scoped blob; the job commit promotes it.</summary>
internal sealed class SaveAsTextFileNode<T>(PlanNode<T> parent, BlobPath path, bool overwrite) : PlanNode("saveAsTextFile", parent), IResultTask
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

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
            foreach (var record in parent.Compute(context, partition))
            {
                TextFormat.Write(writer, record);
                writer.Write('\n');
                records++;
            }
        }
        stream.Complete();
        context.RecordsOut += records;
        return new TaskOutput([blobName], null, records, stream.Length);
    }

    /// <inheritdoc />
    public ActionInfo Describe(int stageId) => new(Id, stageId, Op, path.ToString(), overwrite);

    protected override void DescribeArguments(StringBuilder signature) => signature.Append(" path=").Append(path).Append(" overwrite=").Append(overwrite);
}

using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;

namespace Spark.Serverless.Nodes;

/// <summary><c>textFile</c>: the lines of the blobs a path names, one partition per line-aligned split.</summary>
internal sealed class TextFileNode(BlobPath path, int minPartitions) : BlobSourceNode<string>("textFile", path, minPartitions)
{
    internal override IEnumerable<string> Compute(TaskContext context, int partition) => ReadLines(context, context.Plan.SplitsOf(Id)[partition]);

    /// <summary>The lines of one split, counted as records read.</summary>
    internal static IEnumerable<string> ReadLines(TaskContext context, InputSplit split)
    {
        foreach (var line in ReadLineBytes(context, split)) yield return Encoding.UTF8.GetString(line.Span);
    }

    /// <summary>The lines of one split as UTF-8 bytes (each valid until the next), counted as records read.</summary>
    internal static IEnumerable<ReadOnlyMemory<byte>> ReadLineBytes(TaskContext context, InputSplit split)
    {
        using var stream = context.OpenSplit(split);
        var canceled = context.CancellationToken;
        foreach (var line in LineSplitReader.ReadLineBytes(stream, split.Start, split.End))
        {
            canceled.ThrowIfCancellationRequested();
            context.RecordsIn++;
            yield return line;
        }
    }
}

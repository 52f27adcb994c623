using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.IO;

namespace Spark.Serverless.Nodes;

/// <summary>
/// <c>csv</c>: RFC 4180 rows as <see cref="CsvRow"/>s. Quoted fields may hold the delimiter and doubled quotes; with
/// <c>multiLine</c> they may hold line breaks too, and then each blob is read whole by one task (as Spark does),
/// since a split boundary cannot tell whether it falls inside quotes. Blank lines are skipped; with
/// <c>header</c> the first row of each blob is.
/// </summary>
internal sealed class CsvNode(BlobPath path, bool header, char delimiter, bool multiLine, int minPartitions) : BlobSourceNode<CsvRow>("csv", path, minPartitions), ISourceNode
{
    /// <inheritdoc />
    public bool Splittable => !multiLine;

    internal override IEnumerable<CsvRow> Compute(TaskContext context, int partition)
    {
        var split = context.Plan.SplitsOf(Id)[partition];
        bool skipHeader = header && split.Start == 0;
        using var reader = multiLine ? new StreamReader(context.OpenSplit(split), Encoding.UTF8, detectEncodingFromByteOrderMarks: true) : null;
        // Single-line rows keep their bytes and decode fields on demand: most jobs read a few columns of many.
        var rows = reader is not null
            ? CsvParser.ParseRecords(reader, delimiter).Select(fields => new CsvRow(fields))
            : TextFileNode.ReadLineBytes(context, split).Where(l => l.Length > 0).Select(l => CsvRow.FromLine(l.Span, delimiter));
        foreach (var row in rows)
        {
            if (skipHeader)
            {
                skipHeader = false;
                continue;
            }
            if (multiLine) context.RecordsIn++;
            yield return row;
        }
    }

    protected override void DescribeArguments(StringBuilder signature)
    {
        base.DescribeArguments(signature);
        signature.Append(CultureInfo.InvariantCulture, $" header={header} delimiter={(int)delimiter} multiLine={multiLine}");
    }
}

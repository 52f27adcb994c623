using System.Globalization;
using System.Text;
using Spark.Serverless.Execution;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Nodes;

/// <summary><c>range</c>: the numbers start, start + step, … below end (above it for a negative step), in contiguous slices.</summary>
internal sealed class RangeNode : PlanNode<long>
{
    private readonly long _start;
    private readonly long _step;
    private readonly long _count;
    private readonly int _slices;

    public RangeNode(long start, long end, long step, int slices) : base("range")
    {
        if (step == 0) throw new ArgumentException("range's step may not be 0.", nameof(step));
        _start = start;
        _step = step;
        _count = step > 0 ? Math.Max(0, (end - start + step - 1) / step) : Math.Max(0, (start - end - step - 1) / -step);
        _slices = slices;
    }

    internal override int ResolvePartitions(PlanBindings bindings) => _slices > 0 ? _slices : bindings.DefaultParallelism;

    internal override IEnumerable<long> Compute(TaskContext context, int partition)
    {
        long first = _count * partition / NumPartitions;
        long last = _count * (partition + 1) / NumPartitions;
        for (long i = first; i < last; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.RecordsIn++;
            yield return _start + i * _step;
        }
    }

    protected override void DescribeArguments(StringBuilder signature) =>
        signature.Append(CultureInfo.InvariantCulture, $" start={_start} step={_step} count={_count} slices={_slices}");
}

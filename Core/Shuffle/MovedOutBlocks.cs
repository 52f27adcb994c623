using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// What a map task has moved out of memory: frames (and sorted segments' end markers) in one local spill
/// file, listed per reduce partition. At the end it writes the shuffle data file, every partition's block in
/// partition order.
/// </summary>
/// <remarks>
/// The blocks' offsets travel in the task's commit marker, which the driver gathers into the stage's map outputs for
/// the reducers; an index blob beside the data file, as the design has it, would be one more write per map task that
/// nothing reads.
/// </remarks>
internal sealed class MovedOutBlocks(TaskContext context, int partitions) : IDisposable
{
    private readonly List<(long Offset, long Length)>?[] _ranges = new List<(long, long)>?[partitions];
    private readonly FrameCompression _compression = new();
    private SpillFile? _file;

    /// <summary>Bytes moved out so far.</summary>
    public long Length => _file?.Length ?? 0;

    /// <summary>
    /// Writes serialized records as a frame at the end of <paramref name="partition"/>'s block, compressed unless the
    /// task's frames have been barely shrinking (<see cref="FrameCompression"/>).
    /// </summary>
    public void AppendFrame(int partition, ReadOnlySpan<byte> records)
    {
        var file = File;
        long start = file.Length;
        Add(partition, start, file.AppendFrame(records, _compression));
    }

    /// <summary>Writes serialized records as one frame to <paramref name="destination"/>, compressed as the moved-out frames are.</summary>
    public void WriteFrame(ReadOnlySpan<byte> records, Stream destination) => _compression.WriteFrame(records, destination);

    /// <summary>Ends a sorted segment of <paramref name="partition"/>'s block (see <see cref="ShuffleBlock.SegmentEnd"/>).</summary>
    public void AppendSegmentEnd(int partition)
    {
        var file = File;
        long start = file.Length;
        file.Writer.WriteRaw(ShuffleBlock.SegmentEnd);
        Add(partition, start, ShuffleBlock.SegmentEnd.Length);
    }

    /// <summary>
    /// Writes the data file, each partition's moved-out bytes followed by what <paramref name="tail"/> writes for it;
    /// <paramref name="records"/> is the task's output record count.
    /// </summary>
    public TaskOutput Finish(long records, Action<int, Stream>? tail)
    {
        var task = context.Task;
        string dataName = StorageLayout.ShuffleData(task.JobId, task.StageId, task.Partition, context.AttemptId);
        var offsets = new long[_ranges.Length + 1];
        using var data = context.CreateBlob(context.Storage.Options.Container, dataName);
        _file?.FinishWriting();
        for (int p = 0; p < _ranges.Length; p++)
        {
            offsets[p] = data.Length;
            foreach (var (offset, length) in _ranges[p] ?? [])
                _file!.CopyRange(offset, length, data);
            tail?.Invoke(p, data);
        }
        offsets[^1] = data.Length;
        data.Complete();
        context.RecordsOut += records;
        return new TaskOutput([dataName], offsets, records, data.Length);
    }

    /// <summary>Deletes the spill file.</summary>
    public void Dispose() => _file?.Dispose();

    private SpillFile File => _file ??= new SpillFile(context.Environment.SpillDirectory);

    /// <summary>Lists a range; one that continues the partition's last range extends it, so the copy at the end makes fewer calls.</summary>
    private void Add(int partition, long start, long length)
    {
        var ranges = _ranges[partition] ??= [];
        if (ranges.Count > 0 && ranges[^1] is var last && last.Offset + last.Length == start)
            ranges[^1] = (last.Offset, last.Length + length);
        else
            ranges.Add((start, length));
    }
}

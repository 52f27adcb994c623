using System.Text;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Manager.Scaling;

/// <summary>One recorded decision, with what it was decided from.</summary>
/// <param name="At">When.</param>
/// <param name="ManagerId">Which manager.</param>
/// <param name="QueueDepth">Task messages queued or held.</param>
/// <param name="VisibleMessages">Task messages a peek saw waiting (at most 32).</param>
/// <param name="RunningTasks">Tasks running on every live executor.</param>
/// <param name="PendingTasks">Tasks waiting for a slot.</param>
/// <param name="Executors">Executors in the pool (starting, running or idle; not draining).</param>
/// <param name="Starting">Executors started but not heartbeating yet.</param>
/// <param name="Idle">Executors running nothing.</param>
/// <param name="Needed">Executors the tasks would fill.</param>
/// <param name="Started">Executors started by this decision.</param>
/// <param name="Stopped">Executors stopped by this decision.</param>
/// <param name="Lost">Executors found dead or silent at this decision.</param>
/// <param name="Reason">Why.</param>
public sealed record ScaleRecord(DateTimeOffset At, string ManagerId, int QueueDepth, int VisibleMessages, int RunningTasks, int PendingTasks, int Executors, int Starting, int Idle,
    int Needed, int Started, IReadOnlyList<string> Stopped, IReadOnlyList<string> Lost, string Reason);

/// <summary>
/// Appends decisions to <c>manager/history/{hour}/{manager}.jsonl</c> (an append blob per hour): every decision that
/// started, stopped or lost an executor or saw the inputs change, and one every ten seconds regardless, for the chart.
/// </summary>
internal sealed class ScaleHistory(SparkStorage storage)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);
    private ScaleRecord? _last;

    /// <summary>Records a decision if it says something new.</summary>
    public async Task RecordAsync(ScaleRecord record, CancellationToken cancellationToken)
    {
        if (_last is { } last && record.At - last.At < Quiet && record.Started == 0 && record.Stopped.Count == 0 && record.Lost.Count == 0
            && (record.QueueDepth, record.VisibleMessages, record.RunningTasks, record.Executors, record.Starting, record.Idle) == (last.QueueDepth, last.VisibleMessages, last.RunningTasks, last.Executors, last.Starting, last.Idle))
            return;
        var hour = new DateTimeOffset(record.At.UtcDateTime.Date.AddHours(record.At.UtcDateTime.Hour), TimeSpan.Zero);
        var blob = storage.Container.GetAppendBlobClient(StorageLayout.ScaleHistory(hour, record.ManagerId));
        byte[] line = Encoding.UTF8.GetBytes(SparkJson.ToBinary(record) + "\n");
        try
        {
            await AppendAsync(blob, line, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await AppendAsync(blob, line, cancellationToken).ConfigureAwait(false);
        }
        _last = record;
    }

    private static async Task AppendAsync(AppendBlobClient blob, byte[] line, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(line, writable: false);
        await blob.AppendBlockAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

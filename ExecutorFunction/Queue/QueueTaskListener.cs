using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spark.Serverless.Executor.Runtime;
using Spark.Serverless.Messaging;
using Spark.Serverless.Resilience;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Executor.Queue;

/// <summary>
/// The queue trigger: each slot receives one task message at a time under a visibility-timeout lease, runs it,
/// reports the outcome on the control queue and only then deletes the message. On SIGTERM the slots stop
/// receiving and finish what they hold.
/// </summary>
internal sealed class QueueTaskListener(SparkStorage storage, TaskDispatcher dispatcher, IOptions<ExecutorOptions> options, ILogger<QueueTaskListener> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Logs.ExecutorStarted(logger, o.Id, o.Slots, storage.Options.TaskQueue);
        await Task.WhenAll(Enumerable.Range(0, o.Slots).Select(slot => RunSlotAsync(slot, stoppingToken))).ConfigureAwait(false);
        Logs.ExecutorDrained(logger, o.Id);
    }

    private async Task RunSlotAsync(int slot, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var visibility = TimeSpan.FromSeconds(o.VisibilityTimeoutSeconds);
        var minIdle = TimeSpan.FromMilliseconds(o.MinPollIntervalMs);
        var idle = minIdle;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage? message;
            try
            {
                message = (await storage.Tasks.ReceiveMessageAsync(visibility, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Logs.ReceiveFailed(logger, slot, e);
                await Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (message is null)
            {
                await Delay(idle, stoppingToken).ConfigureAwait(false);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, o.MaxPollIntervalMs));
                continue;
            }
            idle = minIdle;
            // A task in hand is finished even when stopping begins: that is the drain.
            await HandleAsync(message, visibility, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(QueueMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        if (TaskDispatcher.TryRead(message.Body, out string? error) is not { } task)
        {
            Logs.BadTaskMessage(logger, message.MessageId, error!);
            await MoveToPoisonAsync(message, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (dispatcher.TooManyDeliveries(task, message.DequeueCount) is { } failed)
        {
            await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(failed), cancellationToken: cancellationToken).ConfigureAwait(false);
            await MoveToPoisonAsync(message, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = new LeaseKeeper(storage.Tasks, message.MessageId, message.PopReceipt, visibility, logger);
        TaskEvent outcome;
        try
        {
            outcome = await dispatcher.RunAsync(task, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        // The report must get through before the message goes: a lost report with a deleted message would hang the task.
        await Retries.Storage.ExecuteAsync(async ct => await storage.Control.SendMessageAsync(SparkJson.ToBinary<ControlEvent>(outcome), cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message.MessageId, lease.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        await dispatcher.PoisonAsync(message.Body, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message.MessageId, popReceipt, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Tasks.DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            // The lease passed to another receiver; it will find the commit marker and report success again.
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

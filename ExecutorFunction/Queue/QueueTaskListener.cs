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
/// The queue trigger: one receive loop takes as many task messages as there are free slots, each under a visibility-timeout lease, runs them,
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
        var visibility = TimeSpan.FromSeconds(o.VisibilityTimeoutSeconds);
        var minIdle = TimeSpan.FromMilliseconds(o.MinPollIntervalMs);
        var idle = minIdle;
        using var free = new SemaphoreSlim(o.Slots, o.Slots);
        var running = new List<Task>();
        // One receive loop per executor, not one per slot: an idle executor costs one request per poll interval,
        // and a busy one asks for as many messages as it has free slots in a single request.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await free.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            int wanted = 1;
            while (wanted < MaxBatch && free.Wait(0)) wanted++;
            QueueMessage[] messages;
            try
            {
                messages = (await storage.Tasks.ReceiveMessagesAsync(wanted, visibility, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (Exception e)
            {
                free.Release(wanted);
                if (stoppingToken.IsCancellationRequested) break;
                Logs.ReceiveFailed(logger, e);
                await Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (messages.Length < wanted) free.Release(wanted - messages.Length);
            if (messages.Length == 0)
            {
                await Delay(idle, stoppingToken).ConfigureAwait(false);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, o.MaxPollIntervalMs));
                continue;
            }
            idle = minIdle;
            running.RemoveAll(t => t.IsCompletedSuccessfully);
            // A handler that failed past its retries stops the executor, as a faulted slot loop always did.
            if (running.FirstOrDefault(t => t.IsFaulted) is { } faulted) await faulted.ConfigureAwait(false);
            foreach (var message in messages)
            {
                // A task in hand is finished even when stopping begins: that is the drain.
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await HandleAsync(message, visibility, CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        free.Release();
                    }
                }, CancellationToken.None));
            }
        }
        await Task.WhenAll(running).ConfigureAwait(false);
        Logs.ExecutorDrained(logger, o.Id);
    }

    /// <summary>The most messages one receive may ask for (the queue service's limit).</summary>
    private const int MaxBatch = 32;

    private async Task HandleAsync(QueueMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        if (TaskDispatcher.TryRead(message.Body, out string? error) is not { } tasks)
        {
            Logs.BadTaskMessage(logger, message.MessageId, error!);
            await MoveToPoisonAsync(message, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lease = new LeaseKeeper(storage.Tasks, message.MessageId, message.PopReceipt, visibility, logger);
        ControlEvent outcome;
        bool poison;
        try
        {
            (outcome, poison) = await dispatcher.RunMessageAsync(tasks, message.DequeueCount, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        if (poison)
        {
            await storage.Control.SendMessageAsync(SparkJson.ToBinary(outcome), cancellationToken: cancellationToken).ConfigureAwait(false);
            await MoveToPoisonAsync(message, lease.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
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

using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Spark.Serverless.Messaging;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// Receives control events in batches, hands each job's events to the <see cref="JobProcessor"/>, and deletes the
/// messages only after their effects are stored: a driver that dies mid-batch leaves them to be redelivered.
/// </summary>
public sealed class ControlLoop(SparkStorage storage, JobProcessor processor, ControlSignal signal, IOptions<DriverOptions> options, ILogger<ControlLoop> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Orchestrate) return;
        var minIdle = TimeSpan.FromMilliseconds(o.MinPollIntervalMs);
        var idle = minIdle;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            var wake = signal.Next;
            try
            {
                messages = (await storage.Control.ReceiveMessagesAsync(o.ControlBatchSize, TimeSpan.FromSeconds(o.ControlVisibilityTimeoutSeconds), stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Logs.ReceiveFailed(logger, e);
                await Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (messages.Length == 0)
            {
                await Task.WhenAny(wake, Delay(idle, stoppingToken)).ConfigureAwait(false);
                idle = TimeSpan.FromMilliseconds(Math.Min(idle.TotalMilliseconds * 2, o.MaxPollIntervalMs));
                continue;
            }
            idle = minIdle;
            // The batch finishes even when stopping begins: its messages are half-applied otherwise until they are redelivered.
            await ProcessBatchAsync(messages, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ProcessBatchAsync(QueueMessage[] messages, CancellationToken cancellationToken)
    {
        var parsed = new List<(QueueMessage Message, ControlEvent Event)>();
        foreach (var message in messages)
        {
            try
            {
                parsed.Add((message, SparkJson.FromBinary<ControlEvent>(message.Body)));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                Logs.BadControlMessage(logger, message.MessageId, e.Message);
                await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        await Task.WhenAll(parsed.GroupBy(p => p.Event.JobId).Select(async group =>
        {
            try
            {
                await processor.ProcessAsync(group.Key, group.Select(g => g.Event).ToList(), cancellationToken).ConfigureAwait(false);
                await Task.WhenAll(group.Select(g => DeleteAsync(g.Message, cancellationToken))).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Logs.ProcessingFailed(logger, group.Key, e);
            }
        })).ConfigureAwait(false);
    }

    private async Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Control.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 400 or 404)
        {
            // Our lease ran out and another driver owns the message now; it will process it again, harmlessly.
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

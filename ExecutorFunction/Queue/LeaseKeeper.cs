using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Executor.Queue;

/// <summary>
/// Holds a received message's lease: extends its visibility every third of the timeout while the task runs. If an
/// extension is refused, another receiver owns the message now and <see cref="Lost"/> turns true.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly string _messageId;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile string _popReceipt;

    public LeaseKeeper(QueueClient queue, string messageId, string popReceipt, TimeSpan timeout, ILogger logger)
    {
        _queue = queue;
        _messageId = messageId;
        _popReceipt = popReceipt;
        _timeout = timeout;
        _logger = logger;
        _loop = RenewAsync();
    }

    /// <summary>The current pop receipt, needed to delete the message.</summary>
    public string PopReceipt => _popReceipt;

    /// <summary>Whether the lease was lost to another receiver.</summary>
    public bool Lost { get; private set; }

    private async Task RenewAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_timeout / 3, _stop.Token).ConfigureAwait(false);
                var receipt = await _queue.UpdateMessageAsync(_messageId, _popReceipt, message: null, visibilityTimeout: _timeout, cancellationToken: _stop.Token).ConfigureAwait(false);
                _popReceipt = receipt.Value.PopReceipt;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status is 400 or 404)
            {
                Lost = true;
                Logs.LeaseLost(_logger, _messageId, e.ErrorCode ?? e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            catch (Exception e)
            {
                // A missed renewal is survivable while the remaining visibility lasts; try again next period.
                Logs.LeaseRenewalFailed(_logger, _messageId, e);
            }
        }
    }

    /// <summary>Stops renewing.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

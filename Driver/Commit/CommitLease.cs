using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Commit;

/// <summary>
/// The right to commit one job: a blob lease on <c>jobs/{id}/commit.lock</c>, renewed while the commit runs.
/// Any number of drivers may carry out a job's outbox at once (a Functions host delivers control events in
/// parallel, and every driver runs the commands it finds). Every other command is safe to repeat side by side;
/// two commits are not: one's overwrite clears the folder the other is filling, and the first to finish deletes the
/// attempt files the other still copies. A driver that dies holding the lease loses it after
/// <see cref="Duration"/>.
/// </summary>
public sealed class CommitLease : IAsyncDisposable
{
    /// <summary>How long the lease lasts unless renewed: the shortest Azure allows, so a dead driver's commit is taken over soon.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    private readonly BlobLeaseClient _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private CommitLease(BlobLeaseClient lease, TimeProvider time)
    {
        _lease = lease;
        _renewing = RenewAsync(time);
    }

    /// <summary>Cancelled when the lease could not be renewed in time: another driver may be committing now.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the job's commit lease, or returns null when another driver holds it.</summary>
    /// <param name="container">The platform's container.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="time">The clock the renewals run on.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public static async Task<CommitLease?> TryAcquireAsync(BlobContainerClient container, string jobId, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var blob = container.GetBlobClient(StorageLayout.CommitLock(jobId));
        try
        {
            // The lock blob comes into being at the job's first commit; a retried or concurrent one finds it there.
            await blob.UploadAsync(new BinaryData([]), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CommitLease(lease, time);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Stops renewing and releases the lease, so the next driver need not wait for it to run out.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        try
        {
            await _lease.ReleaseAsync().ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Lost already, or storage is down: the lease runs out by itself.
        }
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync(TimeProvider time)
    {
        var renewed = time.GetUtcNow();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RenewEvery, time, _stop.Token).ConfigureAwait(false);
                await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                renewed = time.GetUtcNow();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not RequestFailedException { Status: 409 } && time.GetUtcNow() - renewed < Duration - RenewEvery)
            {
                // A passing storage failure: the lease still has time, so the next renewal may well succeed.
            }
            catch (Exception)
            {
                // Taken by another driver, or about to run out: the commit must stop before it writes anything more.
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}

using Azure.Storage.Blobs.Specialized;
using Spark.Serverless.Driver.Commit;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Commit;

/// <summary>The job commit's lease against a real Azurite: one committer at a time, kept while it works, taken over after a dead one.</summary>
[TestClass]
public sealed class CommitLeaseTests
{
    [TestMethod]
    public async Task OneDriverCommitsAtATime_TheHolderKeepsItPastItsDuration_AndADeadHoldersRunsOut()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var storage = await azurite.CreateStorageAsync();
        var container = storage.Container;

        var first = await CommitLease.TryAcquireAsync(container, "live", TimeProvider.System, CancellationToken.None);
        Assert.IsNotNull(first, "the first driver creates the lock blob and takes its lease");
        Assert.IsNull(await CommitLease.TryAcquireAsync(container, "live", TimeProvider.System, CancellationToken.None), "a second driver is refused");

        // A driver that died while committing: its lease is never renewed or released.
        var dead = container.GetBlobClient(StorageLayout.CommitLock("dead"));
        await dead.UploadAsync(new BinaryData([]));
        await dead.GetBlobLeaseClient().AcquireAsync(CommitLease.Duration);
        Assert.IsNull(await CommitLease.TryAcquireAsync(container, "dead", TimeProvider.System, CancellationToken.None));

        await Task.Delay(CommitLease.Duration + TimeSpan.FromSeconds(2));
        Assert.IsNull(await CommitLease.TryAcquireAsync(container, "live", TimeProvider.System, CancellationToken.None), "renewed: still held after its duration");
        Assert.IsFalse(first.Lost.IsCancellationRequested);
        await using (var takeover = await CommitLease.TryAcquireAsync(container, "dead", TimeProvider.System, CancellationToken.None))
            Assert.IsNotNull(takeover, "the dead driver's lease ran out");

        await first.DisposeAsync();
        await using var next = await CommitLease.TryAcquireAsync(container, "live", TimeProvider.System, CancellationToken.None);
        Assert.IsNotNull(next, "released at the end: the next driver need not wait");
    }
}

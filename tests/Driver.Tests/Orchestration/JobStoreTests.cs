using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Orchestration;

/// <summary>The state store against a real Azurite: its held copy is used only while the blob still has its ETag.</summary>
[TestClass]
public sealed class JobStoreTests
{
    [TestMethod]
    public async Task Load_UsesTheHeldCopyWhileUnchanged_AndSeesAnotherDriversWrite()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var storage = await azurite.CreateStorageAsync();
        var ours = new JobStore(storage);
        var theirs = new JobStore(storage);

        var etag = await ours.CreateAsync(OrchestratorTests.NewJob(), CancellationToken.None);
        var first = (await ours.LoadAsync("j", CancellationToken.None))!.Value;
        var again = (await ours.LoadAsync("j", CancellationToken.None))!.Value;
        Assert.AreSame(first.State, again.State, "unchanged: the blob answers 304 and the held copy is used");
        Assert.AreEqual(etag, again.ETag);

        // Another driver takes the job over and writes: our next read must see its state, not our copy.
        var changed = OrchestratorTests.NewJob();
        changed.Status = JobStatus.Running;
        var written = await theirs.TrySaveAsync(changed, etag, CancellationToken.None);
        Assert.IsNotNull(written);
        var fresh = (await ours.LoadAsync("j", CancellationToken.None))!.Value;
        Assert.AreEqual(JobStatus.Running, fresh.State.Status);
        Assert.AreEqual(written, fresh.ETag);
        Assert.IsNull(await ours.TrySaveAsync(first.State, etag, CancellationToken.None), "our stale ETag loses");
    }
}

using Azure.Storage.Blobs.Models;
using Spark.Serverless.Driver.Commit;
using Spark.Serverless.Driver.Orchestration;
using Spark.Serverless.Execution;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Driver.Tests.Commit;

/// <summary>Reading a stage's commit markers against a real Azurite: from one listing where their metadata carries them, from their content where not.</summary>
[TestClass]
public sealed class CommitMarkersTests
{
    [TestMethod]
    public async Task Read_TakesEachPartitionsMarkerFromItsCommittedStageAttempt_ListedOrRead()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var storage = await azurite.CreateStorageAsync();
        var stage = new StageState { Id = 2 };
        for (int p = 0; p < 40; p++) stage.Tasks.Add(new TaskState { Partition = p, CommittedStageAttempt = p == 7 ? 1 : 0 });

        for (int p = 0; p < 40; p++)
        {
            // Partition 7 was recomputed in stage attempt 1; its attempt-0 marker is not the one that counts.
            await CreateAsync(storage, stage.Id, 0, p, Marker(p, "a0"), withMetadata: p != 3);
            if (p == 7) await CreateAsync(storage, stage.Id, 1, p, Marker(p, "a1"), withMetadata: true);
        }
        var tooLong = Marker(39, "a0") with { PartitionOffsets = [.. Enumerable.Range(0, 1000).Select(i => 1_000_000_000L + i)] };
        Assert.AreEqual(0, CommitMarker.Metadata(SparkJson.ToBinary(tooLong)).Count, "a marker past the metadata limit is not put there");
        await storage.Container.GetBlobClient(StorageLayout.CommitMarker("j", stage.Id, 0, 39)).UploadAsync(SparkJson.ToBinary(tooLong), overwrite: true);

        // Never so in practice (both come from one create), but it shows which of the two was read.
        var listed = Marker(5, "a0") with { ExecutorId = "from-metadata" };
        await storage.Container.GetBlobClient(StorageLayout.CommitMarker("j", stage.Id, 0, 5))
            .UploadAsync(SparkJson.ToBinary(Marker(5, "a0")), new BlobUploadOptions { Metadata = CommitMarker.Metadata(SparkJson.ToBinary(listed)) });

        var markers = await new CommitMarkers(storage).ReadAsync("j", stage, CancellationToken.None);

        Assert.AreEqual("from-metadata", markers[5].ExecutorId, "a marker with metadata comes from the listing");
        Assert.AreEqual("e", markers[3].ExecutorId);

        for (int p = 0; p < 40; p++) Assert.AreEqual($"p{p}-{(p == 7 ? "a1" : "a0")}", markers[p].AttemptId);
        Assert.AreEqual(1000, markers[39].PartitionOffsets!.Length, "read from its content");
        Assert.AreEqual(3 * 100L, markers[3].Records, "a marker without metadata is read from its content");
        CollectionAssert.AreEqual(new[] { 0L, 5, 9 }, markers[12].PartitionOffsets, "listed markers keep every field");
    }

    private static CommitMarker Marker(int partition, string attempt) => new()
    {
        AttemptId = $"p{partition}-{attempt}",
        Attempt = 0,
        StageAttempt = attempt == "a1" ? 1 : 0,
        ExecutorId = "e",
        CommittedAt = DateTimeOffset.UnixEpoch,
        Files = [$"f{partition}"],
        PartitionOffsets = [0, 5, 9],
        Records = partition * 100L,
        Bytes = 9,
    };

    private static async Task CreateAsync(SparkStorage storage, int stageId, int stageAttempt, int partition, CommitMarker marker, bool withMetadata)
    {
        var json = SparkJson.ToBinary(marker);
        await storage.Container.GetBlobClient(StorageLayout.CommitMarker("j", stageId, stageAttempt, partition))
            .UploadAsync(json, new BlobUploadOptions { Metadata = withMetadata ? CommitMarker.Metadata(json) : null });
    }
}

using Spark.Serverless.Execution;
using Spark.Serverless.Messaging;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Tests.Shuffle;

/// <summary>
/// A reduce task asks for the next blocks while it reads one: order, requests and failures stay as they were.
/// </summary>
[TestClass]
public sealed class ShuffleFetchTests
{
    private const int Maps = 10;
    private const int RecordsPerMap = 200;
    private static AzuriteInstance s_azurite = null!;
    private static SparkStorage s_storage = null!;

    [ClassInitialize]
    public static async Task StartAzurite(TestContext _)
    {
        s_azurite = await AzuriteInstance.StartAsync();
        s_storage = await s_azurite.CreateStorageAsync();
    }

    [ClassCleanup]
    public static async Task StopAzurite() => await s_azurite.DisposeAsync();

    [TestMethod]
    public async Task Read_ManyMapOutputs_RecordsComeInMapOrder_WithOneRequestPerBlock()
    {
        var (jobId, outputs, input) = await WriteMapsAsync();
        var context = ReduceContext(jobId);
        CollectionAssert.AreEqual(input.SelectMany(m => m).ToList(), ShuffleReader.Read<string, long>(context, 1, 0).ToList(), "map outputs are read in map order");
        var metrics = context.CollectMetrics(DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.AreEqual(1 + Maps, metrics.Requests, "the map outputs' list, then one range read a block: asking ahead adds none");
        Assert.AreEqual(outputs.Outputs.Sum(o => o.Offsets[^1]), metrics.BytesIn, "every block's bytes, once");
    }

    [TestMethod]
    public async Task Read_StoppedAfterTheFirstRecord_HasAskedOnlyForTheBlocksAhead()
    {
        var (jobId, _, input) = await WriteMapsAsync();
        var context = ReduceContext(jobId);
        Assert.AreEqual(input[0][0], ShuffleReader.Read<string, long>(context, 1, 0).First());
        var metrics = context.CollectMetrics(DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.AreEqual(1 + 1 + ShuffleReader.MaxBlocksAhead, metrics.Requests, "the map outputs' list, the block read and those asked for ahead of it");
    }

    [TestMethod]
    public async Task Read_BlockMissingAfterOthers_IsAFetchFailureNamingItsOwnMapPartition_AfterTheBlocksBeforeIt()
    {
        var (jobId, outputs, input) = await WriteMapsAsync();
        // Map 2's block is asked for while map 0's is read: its 404 must surface when its own turn comes.
        await s_storage.Container.GetBlobClient(outputs.Outputs[2].DataBlob).DeleteAsync();
        var read = new List<(string, long)>();
        var e = Assert.ThrowsExactly<FetchFailedException>(() =>
        {
            foreach (var record in ShuffleReader.Read<string, long>(ReduceContext(jobId), 1, 0)) read.Add(record);
        });
        Assert.AreEqual(2, e.MapPartition);
        CollectionAssert.AreEqual(input[0].Concat(input[1]).ToList(), read, "the blocks before the missing one were read whole");
    }

    [TestMethod]
    public void MapOutput_EstimatesABlocksRecords_FromItsShareOfTheBytes()
    {
        var plan = TestTasks.ShufflePlan("estimate", 1, 4);
        var context = new TaskContext(s_storage, plan, new TaskMessage("estimate", 0, 0, 0, 0), "0-m0", "test", TestTasks.Environment(1 << 20), CancellationToken.None);
        var input = Enumerable.Range(0, 4000).Select(i => ($"key-{i:D6}", (long)i)).ToList();
        var partitioner = new HashPartitioner<string>(4);
        var written = ShuffleWriter.Write(context, input, partitioner);
        var output = new MapOutput(0, "0-m0", written.Files[0], written.PartitionOffsets!, written.Records);
        for (int r = 0; r < 4; r++)
        {
            int records = input.Count(x => partitioner.PartitionOf(x.Item1) == r);
            Assert.AreEqual(records, output.EstimatedRecords(r), records * 0.1, $"partition {r}: records of one shape spread with the bytes");
        }
        Assert.AreEqual(0, (output with { Records = 0 }).EstimatedRecords(0), "unknown when the map output does not say");
        var old = SparkJson.ToBinary(new { mapPartition = 0, attemptId = "0-m0", dataBlob = "d", offsets = new long[] { 0, 10 } });
        Assert.AreEqual(0, SparkJson.FromBinary<MapOutput>(old).Records, "map outputs saved before records were kept still load");
    }

    private static TaskContext ReduceContext(string jobId) =>
        new(s_storage, TestTasks.ShufflePlan(jobId, Maps, 1), new TaskMessage(jobId, 1, 0, 0, 0), "0-r", "test", TestTasks.Environment(1 << 20), CancellationToken.None);

    /// <summary>Ten map tasks' shuffle files of one reduce partition each, and the map outputs' list the driver would write.</summary>
    private static async Task<(string JobId, MapOutputs Outputs, List<List<(string, long)>> Input)> WriteMapsAsync()
    {
        string jobId = "fetch-ahead-" + Guid.NewGuid().ToString("N")[..8];
        var plan = TestTasks.ShufflePlan(jobId, Maps, 1);
        var input = Enumerable.Range(0, Maps).Select(m => Enumerable.Range(0, RecordsPerMap).Select(i => ($"m{m}-{i}", (long)i)).ToList()).ToList();
        var outputs = new List<MapOutput>();
        for (int m = 0; m < Maps; m++)
        {
            var context = new TaskContext(s_storage, plan, new TaskMessage(jobId, 0, 0, m, 0), $"0-m{m}", "test", TestTasks.Environment(1 << 20), CancellationToken.None);
            var written = ShuffleWriter.Write(context, input[m], new HashPartitioner<string>(1));
            outputs.Add(new MapOutput(m, $"0-m{m}", written.Files[0], written.PartitionOffsets!));
        }
        var mapOutputs = new MapOutputs { StageId = 0, NumReducePartitions = 1, Outputs = outputs };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(mapOutputs));
        return (jobId, mapOutputs, input);
    }
}

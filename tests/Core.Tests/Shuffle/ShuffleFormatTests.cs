using Spark.Serverless.Execution;
using Spark.Serverless.Messaging;
using Spark.Serverless.Planning;
using Spark.Serverless.Serialization;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Tests.Shuffle;

[TestClass]
public sealed class ShuffleFormatTests
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
    public void Block_SeveralCompressedFrames_RoundTripInOrder()
    {
        var codec = RecordCodec.For<(string, long)>();
        var records = Enumerable.Range(0, 1000).Select(i => ($"word{i % 37}", (long)i)).ToList();
        var block = new MemoryStream();
        long rawBytes = 0;
        foreach (var chunk in records.Chunk(300))
        {
            using var raw = new RecordWriter(null);
            foreach (var r in chunk) codec.Write(raw, r);
            rawBytes += raw.BytesWritten;
            ShuffleBlock.WriteFrame(raw.WrittenSpan, block);
        }
        Assert.IsTrue(block.Length < rawBytes, "the frames are compressed");
        block.Position = 0;
        CollectionAssert.AreEqual(records, ShuffleReader.ReadRecords<(string, long)>(block, block.Length).ToList());
    }

    [TestMethod]
    public void Block_TruncatedFrame_IsRejected()
    {
        var block = new MemoryStream();
        ShuffleBlock.WriteFrame("some serialized bytes"u8, block);
        var truncated = new MemoryStream(block.ToArray()[..^3]);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ShuffleReader.ReadRecords<string>(truncated, truncated.Length).ToList()).Message, "claims");
        using var record = new RecordWriter(null);
        record.WriteString("whole");
        var valid = new MemoryStream();
        ShuffleBlock.WriteFrame(record.WrittenSpan, valid);
        var cutHeader = new MemoryStream([.. valid.ToArray(), 7, 0]);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ShuffleReader.ReadRecords<string>(cutHeader, cutHeader.Length).ToList()).Message, "2 bytes into a frame header");
    }

    [TestMethod]
    [DataRow(256L << 20, false)]
    [DataRow(2048L, true)]
    public async Task WriteThenRead_ThroughBlobStorage_EveryRecordReachesItsHashPartitionOnce(long budget, bool spills)
    {
        const int maps = 3, reducers = 4;
        var environment = TestTasks.Environment(budget);
        string jobId = "shuffle-" + Guid.NewGuid().ToString("N")[..8];
        var plan = TestTasks.ShufflePlan(jobId, maps, reducers);
        var input = Enumerable.Range(0, maps).Select(m => Enumerable.Range(0, 500).Select(i => ($"k{(i * 7 + m) % 91}", (long)(i + m * 1000))).ToList()).ToList();

        var outputs = new List<MapOutput>();
        for (int m = 0; m < maps; m++)
        {
            var context = new TaskContext(s_storage, plan, new TaskMessage(jobId, 0, 0, m, 0), $"0-m{m}", "test", environment, CancellationToken.None);
            var written = ShuffleWriter.Write(context, input[m], new HashPartitioner<string>(reducers));
            Assert.AreEqual(spills, context.Spills > 0, "the writer spills exactly when the budget is too small");
            Assert.AreEqual(500, written.Records);
            Assert.AreEqual(reducers + 1, written.PartitionOffsets!.Length);
            CollectionAssert.AreEqual(new[] { StorageLayout.ShuffleData(jobId, 0, m, $"0-m{m}") }, written.Files.ToArray(), "one blob a map task: the offsets travel in its commit marker");
            var properties = (await s_storage.Container.GetBlobClient(written.Files[0]).GetPropertiesAsync()).Value;
            Assert.AreEqual(written.PartitionOffsets[^1], properties.ContentLength, "the last offset is the data file's end");
            outputs.Add(new MapOutput(m, $"0-m{m}", written.Files[0], written.PartitionOffsets));
        }
        var mapOutputs = new MapOutputs { StageId = 0, NumReducePartitions = reducers, Outputs = outputs };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(mapOutputs));

        var seen = new List<(string, long)>();
        var partitioner = new HashPartitioner<string>(reducers);
        for (int r = 0; r < reducers; r++)
        {
            var context = new TaskContext(s_storage, plan, new TaskMessage(jobId, 1, 0, r, 0), "0-r", "test", environment, CancellationToken.None);
            foreach (var record in ShuffleReader.Read<string, long>(context, 1, r))
            {
                Assert.AreEqual(r, partitioner.PartitionOf(record.Key), $"{record.Key} is in the partition its hash names");
                seen.Add(record);
            }
        }
        CollectionAssert.AreEquivalent(input.SelectMany(x => x).ToList(), seen);
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "spill files are gone");
    }

    [TestMethod]
    public async Task Write_BucketsLargerThanAFrame_GoOutAsSeveralFramesInOrder_WithoutCountingASpill()
    {
        const int reducers = 2;
        var environment = TestTasks.Environment(256L << 20);
        string jobId = "frames-" + Guid.NewGuid().ToString("N")[..8];
        var plan = TestTasks.ShufflePlan(jobId, 1, reducers);
        // About 3 MB per partition: six frames each, written to the local spill file as they fill.
        var input = Enumerable.Range(0, 6000).Select(i => ($"k{i % reducers}", $"{i}:{new string('r', 1000)}")).ToList();
        var context = new TaskContext(s_storage, plan, new TaskMessage(jobId, 0, 0, 0, 0), "0-m0", "test", environment, CancellationToken.None);
        var partitioner = new HashPartitioner<string>(reducers);
        var written = ShuffleWriter.Write(context, input, partitioner);
        Assert.AreEqual(0, context.Spills, "full frames are not memory pressure");
        var data = new MemoryStream((await s_storage.Container.GetBlobClient(written.Files[0]).DownloadContentAsync()).Value.Content.ToArray());
        int frames = 0;
        foreach (var frame in ShuffleBlock.ReadFrames(data, data.Length)) frames++;
        Assert.IsTrue(frames >= 6, $"a frame per {ShuffleWriter.FrameBytes} bytes of a partition ({frames} frames)");
        var outputs = new MapOutputs { StageId = 0, NumReducePartitions = reducers, Outputs = [new MapOutput(0, "0-m0", written.Files[0], written.PartitionOffsets!)] };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(outputs));
        for (int r = 0; r < reducers; r++)
        {
            var reader = new TaskContext(s_storage, plan, new TaskMessage(jobId, 1, 0, r, 0), "0-r", "test", environment, CancellationToken.None);
            CollectionAssert.AreEqual(input.Where(x => partitioner.PartitionOf(x.Item1) == r).ToList(), ShuffleReader.Read<string, string>(reader, 1, r).ToList(),
                "a partition's records come back in the order they were written, across frames");
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "the frames' file is gone");
    }

    [TestMethod]
    public async Task Read_MissingShuffleFile_IsAFetchFailureNamingTheMapPartition()
    {
        string jobId = "fetch-" + Guid.NewGuid().ToString("N")[..8];
        var plan = TestTasks.ShufflePlan(jobId, 1, 2);
        var mapOutputs = new MapOutputs { StageId = 0, NumReducePartitions = 2, Outputs = [new MapOutput(0, "0-x", $"jobs/{jobId}/shuffle/0/0.gone.data", [0, 10, 20])] };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(mapOutputs));
        var context = new TaskContext(s_storage, plan, new TaskMessage(jobId, 1, 0, 0, 0), "0-r", "test", TestTasks.Environment(1 << 20), CancellationToken.None);
        var e = Assert.ThrowsExactly<FetchFailedException>(() => ShuffleReader.Read<string, long>(context, 1, 0).ToList());
        Assert.AreEqual(0, e.MapPartition);
        Assert.AreEqual(0, e.ShuffleStageId);
    }

    // A reduce task asks for the next blocks while it reads one: order, requests and failures stay as they were.

    [TestMethod]
    public async Task Read_ManyMapOutputs_RecordsComeInMapOrder_WithOneRequestPerBlock()
    {
        var (jobId, outputs, input) = await WriteMapsAsync();
        var context = FetchContext(jobId);
        CollectionAssert.AreEqual(input.SelectMany(m => m).ToList(), ShuffleReader.Read<string, long>(context, 1, 0).ToList(), "map outputs are read in map order");
        var metrics = context.CollectMetrics(DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.AreEqual(1 + Maps, metrics.Requests, "the map outputs' list, then one range read a block: asking ahead adds none");
        Assert.AreEqual(outputs.Outputs.Sum(o => o.Offsets[^1]), metrics.BytesIn, "every block's bytes, once");
    }

    [TestMethod]
    public async Task Read_StoppedAfterTheFirstRecord_HasAskedOnlyForTheBlocksAhead()
    {
        var (jobId, _, input) = await WriteMapsAsync();
        var context = FetchContext(jobId);
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
            foreach (var record in ShuffleReader.Read<string, long>(FetchContext(jobId), 1, 0)) read.Add(record);
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

    private static TaskContext FetchContext(string jobId) =>
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

/// <summary>Task contexts for tests that exercise execution code without a job.</summary>
internal static class TestTasks
{
    /// <summary>An environment with the given budget and a fresh spill folder.</summary>
    public static TaskEnvironment Environment(long budget) =>
        new(budget, Directory.CreateTempSubdirectory("spill-test-").FullName, new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<object>>());

    /// <summary>A context that only its environment and counters serve (no storage).</summary>
    public static TaskContext Context(TaskEnvironment environment) =>
        new(null!, null!, new TaskMessage("job", 0, 0, 0, 0), "0-test", "test", environment, CancellationToken.None);

    /// <summary>A plan with one map stage (shuffle node 1) and one result stage, enough for the shuffle's own lookups.</summary>
    public static JobPlan ShufflePlan(string jobId, int maps, int reducers, string op = "reduceByKey") => new()
    {
        JobId = jobId,
        Name = "shuffle-test",
        PlanHash = "",
        AppBlob = "",
        AppType = "",
        Settings = new JobSettings(),
        Nodes = [new PlanNodeInfo(0, "source", null, [], maps), new PlanNodeInfo(1, op, null, [0], reducers)],
        Stages = [new StageInfo(0, StageKind.ShuffleMap, 1, 0, maps, [], "map"), new StageInfo(1, StageKind.Result, 2, 1, reducers, [0], "result")],
        Sources = new Dictionary<int, IReadOnlyList<Spark.Serverless.IO.InputSplit>>(),
        Actions = [],
    };
}

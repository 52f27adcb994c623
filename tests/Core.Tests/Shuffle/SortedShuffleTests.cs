using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Messaging;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Tests.Shuffle;

/// <summary>A range exchange's shuffle: map tasks write sorted segments to blob storage, reduce tasks merge them.</summary>
[TestClass]
public sealed class SortedShuffleTests
{
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
    [DataRow(256L << 20, false)]
    [DataRow(4096L, true)]
    public async Task Merge_ValuesOfEverySize_ComeBackInKeyOrder_TiesInInputOrder(long budget, bool spills)
    {
        // Values of every size, nulls among them, and ones larger than a frame; 53 keys, so ties span map tasks and runs.
        var maps = Enumerable.Range(0, 3).Select(m => Enumerable.Range(0, 1500)
            .Select(i => (Key: $"k{(i * 7919 + m) % 53:D2}", Value: i % 97 == 0 ? null : $"{m}/{i}:{new string('v', i % 300)}"))
            .ToList()).ToList();
        maps[1].Insert(700, ("k10", new string('x', ShuffleWriter.FrameBytes + 3)));
        var result = await RoundTripAsync(maps, ["k20", "k40"], descending: false, budget);
        AssertSortedStably(maps, result, x => x.Key, StringComparer.Ordinal, descending: false);
        Assert.AreEqual(spills, result.MapSpills > 0, $"map tasks spilled {result.MapSpills} times");
    }

    [TestMethod]
    [DataRow(false, 256L << 20)]
    [DataRow(true, 256L << 20)]
    [DataRow(true, 8192L)]
    public async Task Merge_StringKeys_SortOrdinallyEvenWhereUtf8OrderDiffers(bool descending, long budget)
    {
        // Shared prefixes longer than the four characters compared first, NULs, lengths either side of four, long
        // keys, and the characters whose UTF-8 order is not their UTF-16 order (a surrogate pair against U+E000..U+FFFF).
        string[] parts = ["a", "ab", "\0", "\uD83D\uDE00", "\uE000", "\uFFFF", "z", "é", "interna", "\u00FF"];
        var random = new Random(7);
        var maps = Enumerable.Range(0, 2).Select(m => Enumerable.Range(0, 2000).Select(i =>
        {
            var key = string.Concat(Enumerable.Range(0, random.Next(0, 7)).Select(_ => parts[random.Next(parts.Length)]));
            if (i % 500 == 0) key += new string('k', 300);
            return (Key: key, Value: m * 10_000 + i);
        }).ToList()).ToList();
        var result = await RoundTripAsync(maps, ["\0z", "ab", "é"], descending, budget);
        AssertSortedStably(maps, result, x => x.Key, StringComparer.Ordinal, descending);
    }

    [TestMethod]
    public async Task Merge_NumericKeysDescending_KeepTiesInInputOrder()
    {
        var maps = Enumerable.Range(0, 4).Select(m => Enumerable.Range(0, 3000).Select(i => (Key: (long)((i * 31 + m) % 13), Value: (m, i * 0.5))).ToList()).ToList();
        var result = await RoundTripAsync(maps, [9L, 4L], descending: true, budget: 2048);
        AssertSortedStably(maps, result, x => x.Key, Comparer<long>.Default, descending: true);
        Assert.IsTrue(result.MapSpills > 0);
    }

    [TestMethod]
    public async Task PlainRead_OfSortedBlocks_SkipsTheSegmentMarkers()
    {
        List<List<(int Key, string Value)>> maps = [[.. Enumerable.Range(0, 400).Select(i => (Key: i % 7, Value: $"v{i}"))]];
        var result = await RoundTripAsync(maps, [3], descending: false, budget: 1024);
        var context = ReduceContext(result.JobId, 0, TestTasks.Environment(1 << 20));
        var plain = ShuffleReader.Read<int, string>(context, 1, 0).ToList();
        CollectionAssert.AreEquivalent(maps[0].Where(x => x.Key <= 3).ToList(), plain, "every record once, in segment order");
    }

    [TestMethod]
    public async Task Merge_MissingShuffleFile_IsAFetchFailureNamingTheMapPartition()
    {
        string jobId = "sorted-gone-" + Guid.NewGuid().ToString("N")[..8];
        var outputs = new MapOutputs { StageId = 0, NumReducePartitions = 1, Outputs = [new MapOutput(0, "0-x", $"jobs/{jobId}/shuffle/0/0.gone.data", [0, 10])] };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(outputs));
        var environment = TestTasks.Environment(1 << 20);
        var e = Assert.ThrowsExactly<FetchFailedException>(() => SortedShuffleReader.Merge<int, int>(ReduceContext(jobId, 0, environment), 1, 0, descending: false).ToList());
        Assert.AreEqual(0, e.MapPartition);
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "the fetched blocks' file is gone");
    }

    [TestMethod]
    public async Task Merge_TruncatedSegment_IsAFetchFailure()
    {
        List<List<(int Key, int Value)>> maps = [[.. Enumerable.Range(0, 1000).Select(i => (Key: i % 10, Value: i))]];
        var result = await RoundTripAsync(maps, [], descending: false, budget: 1 << 20);
        // The block loses its end marker: the reader cannot know the last segment is whole.
        var outputs = new MapOutputs { StageId = 0, NumReducePartitions = 1, Outputs = [result.Outputs[0] with { Offsets = [0, result.Outputs[0].Offsets[1] - 4] }] };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(result.JobId, 0)).UploadAsync(SparkJson.ToBinary(outputs), overwrite: true);
        var e = Assert.ThrowsExactly<FetchFailedException>(() => SortedShuffleReader.Merge<int, int>(ReduceContext(result.JobId, 0, TestTasks.Environment(1 << 20)), 1, 0, descending: false).ToList());
        StringAssert.Contains(e.Message, "corrupt");
    }

    [TestMethod]
    public void Write_SmallMapTask_TakesNoRunSizedBuffers()
    {
        // A bucket grows through the sizes the shared pool lends before it jumps to its share of a run (3 MB with
        // eight partitions): a map task with a few records per partition must not take a share for each.
        string jobId = "sorted-small-" + Guid.NewGuid().ToString("N")[..8];
        var partitioner = new RangePartitioner<int>([10, 20, 30, 40, 50, 60, 70], Comparer<int>.Default);
        var records = Enumerable.Range(0, 800).Select(i => (Key: i % 80, Value: i)).ToList();
        var environment = TestTasks.Environment(1L << 30);
        TaskContext Map(int m) => new(s_storage, TestTasks.ShufflePlan(jobId, 2, 8, "sortBy"), new TaskMessage(jobId, 0, 0, m, 0), $"0-m{m}", "test", environment, CancellationToken.None);
        // The first task compiles the code and fills the pools the second one rents from.
        SortedShuffleWriter.Write(Map(0), records, partitioner, descending: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SortedShuffleWriter.Write(Map(1), records, partitioner, descending: false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsTrue(allocated < 2 << 20, $"allocated {allocated >> 10} KB for 800 records");
    }

    [TestMethod]
    public void BoundedMerge_MoreSourcesThanItsWidth_MergesInGroupsThroughLocalRuns_KeepingTiesInSourceOrder()
    {
        var environment = TestTasks.Environment(1 << 20);
        var context = TestTasks.Context(environment);
        var sources = Enumerable.Range(0, 10).Select(s => Enumerable.Range(0, 200).Select(i => (Key: i / 3, Source: s, Seq: i)).ToList()).ToList();
        var order = Comparer<(int Key, int Source, int Seq)>.Create((a, b) => a.Key.CompareTo(b.Key));
        var merged = RunMerge.Bounded<(int Key, int Source, int Seq)>([.. sources], order, width: 3, context).ToList();
        CollectionAssert.AreEqual(sources.SelectMany(x => x).OrderBy(x => x.Key).ToList(), merged, "LINQ's OrderBy is stable: ties in source order");
        Assert.IsTrue(context.Spills >= 4, $"ten sources three at a time make at least four local runs ({context.Spills})");
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "the runs are deleted");
    }

    private sealed record RoundTrip<TKey, TValue>(string JobId, List<MapOutput> Outputs, List<List<(TKey Key, TValue Value)>> Partitions, int MapSpills);

    /// <summary>Writes each map's records as a map task of a range exchange and merges every reduce partition back.</summary>
    private static async Task<RoundTrip<TKey, TValue>> RoundTripAsync<TKey, TValue>(List<List<(TKey Key, TValue Value)>> maps, TKey[] bounds, bool descending, long budget)
        where TKey : notnull
    {
        string jobId = "sorted-" + Guid.NewGuid().ToString("N")[..8];
        var order = KeyComparer.For<TKey>(descending);
        var partitioner = new RangePartitioner<TKey>(descending ? [.. bounds.Reverse()] : bounds, order);
        var environment = TestTasks.Environment(budget);
        var outputs = new List<MapOutput>();
        int spills = 0;
        for (int m = 0; m < maps.Count; m++)
        {
            var context = new TaskContext(s_storage, TestTasks.ShufflePlan(jobId, maps.Count, partitioner.Partitions, "sortBy"), new TaskMessage(jobId, 0, 0, m, 0), $"0-m{m}", "test", environment, CancellationToken.None);
            var written = SortedShuffleWriter.Write(context, maps[m], partitioner, descending);
            Assert.AreEqual(maps[m].Count, written.Records);
            spills += context.Spills;
            outputs.Add(new MapOutput(m, $"0-m{m}", written.Files[0], written.PartitionOffsets!));
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "the map tasks' spill files are gone");
        var mapOutputs = new MapOutputs { StageId = 0, NumReducePartitions = partitioner.Partitions, Outputs = outputs };
        await s_storage.Container.GetBlobClient(StorageLayout.MapOutputs(jobId, 0)).UploadAsync(SparkJson.ToBinary(mapOutputs));
        var partitions = new List<List<(TKey Key, TValue Value)>>();
        for (int r = 0; r < partitioner.Partitions; r++)
        {
            var records = SortedShuffleReader.Merge<TKey, TValue>(ReduceContext(jobId, r, environment, maps.Count, partitioner.Partitions), 1, r, descending).ToList();
            Assert.IsTrue(records.All(x => partitioner.PartitionOf(x.Key) == r), "every record is in the partition its key's range names");
            partitions.Add(records);
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "the reduce tasks' fetched blocks are gone");
        return new RoundTrip<TKey, TValue>(jobId, outputs, partitions, spills);
    }

    /// <summary>Each partition is its records of the maps' concatenated input, stably sorted.</summary>
    private static void AssertSortedStably<TKey, TValue>(List<List<(TKey Key, TValue Value)>> maps, RoundTrip<TKey, TValue> result,
        Func<(TKey Key, TValue Value), TKey> key, IComparer<TKey> order, bool descending)
    {
        var all = maps.SelectMany(x => x).ToList();
        var expected = (descending ? all.OrderByDescending(key, order) : all.OrderBy(key, order)).ToList();
        CollectionAssert.AreEqual(expected, result.Partitions.SelectMany(x => x).ToList(), "the partitions read in order are the input stably sorted");
        Assert.IsTrue(result.Partitions.Count(p => p.Count > 0) > 1, "the records spread over several partitions");
    }

    private static TaskContext ReduceContext(string jobId, int partition, TaskEnvironment environment, int maps = 1, int reducers = 1) =>
        new(s_storage, TestTasks.ShufflePlan(jobId, maps, reducers, "sortBy"), new TaskMessage(jobId, 1, 0, partition, 0), "0-r", "test", environment, CancellationToken.None);
}

using Spark.Serverless.Execution;
using Spark.Serverless.Execution.Spill;
using Spark.Serverless.Planning;
using Spark.Serverless.Tests.Shuffle;

namespace Spark.Serverless.Tests.Execution;

[TestClass]
public sealed class SpillTests
{
    [TestMethod]
    public void Aggregator_TinyBudget_SpillsAndStillCombinesEveryKeyOnce()
    {
        var environment = TestTasks.Environment(4096);
        var context = TestTasks.Context(environment);
        var input = Enumerable.Range(0, 20_000).Select(i => ($"key{i % 1500}", (long)i)).ToList();
        var expected = input.GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.Sum(x => x.Item2));
        using (var aggregator = new ExternalAggregator<string, long, long>(new Aggregator<long, long>(v => v, (a, b) => a + b, (a, b) => a + b), context, growsWithValues: false))
        {
            foreach (var (k, v) in input) aggregator.Insert(k, v);
            var result = aggregator.Result().ToList();
            Assert.AreEqual(expected.Count, result.Count, "each key once");
            foreach (var (key, sum) in result) Assert.AreEqual(expected[key], sum, key);
            Assert.IsTrue(context.Spills > 1, $"spilled {context.Spills} times");
            Assert.IsTrue(Directory.GetFiles(environment.SpillDirectory).Length > 0, "spill files exist while the result is open");
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "spill files are deleted on dispose");
    }

    [TestMethod]
    public void Aggregator_ValuesReachTheirCombinersInTheOrderTheyCame_AcrossBatches()
    {
        // Past 4,096 keys, values wait in batches of 32 before reaching the map; a list combiner shows any reordering.
        // The budget is large: merging spills has no order to keep.
        const int keys = 6000;
        var context = TestTasks.Context(TestTasks.Environment(256 << 20));
        var lists = new Aggregator<int, List<int>>(v => [v], (l, v) => { l.Add(v); return l; }, (a, b) => { a.AddRange(b); return a; });
        using var aggregator = new ExternalAggregator<string, int, List<int>>(lists, context, growsWithValues: true);
        for (int round = 0; round < 4; round++)
            for (int k = 0; k < keys; k++) aggregator.Insert($"k{k}", round * keys + k);
        var groups = aggregator.Result().ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual(0, context.Spills);
        Assert.AreEqual(keys, groups.Count);
        for (int k = 0; k < keys; k++)
            CollectionAssert.AreEqual(new[] { k, keys + k, 2 * keys + k, 3 * keys + k }, groups[$"k{k}"], $"k{k}");
    }

    [TestMethod]
    public void Aggregator_ValuesStillWaitingInABatch_ReachTheResult()
    {
        // 5,000 keys, then five more values of k0: the last 13 values (909 past 4,096, modulo 32) have not filled a batch.
        var context = TestTasks.Context(TestTasks.Environment(64 << 20));
        using var aggregator = new ExternalAggregator<string, long, long>(new Aggregator<long, long>(v => v, (a, b) => a + b, (a, b) => a + b), context, growsWithValues: false);
        for (int k = 0; k < 5000; k++) aggregator.Insert($"k{k}", 1);
        for (int i = 0; i < 5; i++) aggregator.Insert("k0", 10);
        var sums = aggregator.Result().ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual(5000, sums.Count);
        Assert.AreEqual(51, sums["k0"]);
        Assert.AreEqual(5050, sums.Values.Sum());
    }

    [TestMethod]
    public void Aggregator_GrowingCombiners_GroupEveryValue()
    {
        var context = TestTasks.Context(TestTasks.Environment(2048));
        var lists = new Aggregator<int, List<int>>(v => [v], (l, v) => { l.Add(v); return l; }, (a, b) => { a.AddRange(b); return a; });
        using var aggregator = new ExternalAggregator<int, int, List<int>>(lists, context, growsWithValues: true);
        for (int i = 0; i < 5000; i++) aggregator.Insert(i % 7, i);
        var groups = aggregator.Result().ToDictionary(p => p.Key, p => p.Value);
        Assert.AreEqual(7, groups.Count);
        for (int k = 0; k < 7; k++) CollectionAssert.AreEquivalent(Enumerable.Range(0, 5000).Where(i => i % 7 == k).ToList(), groups[k]);
        Assert.IsTrue(context.Spills > 0);
    }

    [TestMethod]
    public void Sorter_TinyBudget_SortsStablyAcrossRuns()
    {
        var environment = TestTasks.Environment(2048);
        var context = TestTasks.Context(environment);
        var input = Enumerable.Range(0, 5000).Select(i => (Key: (i * 7919) % 50, Seq: i)).ToList();
        using (var sorter = new ExternalSorter<(int Key, int Seq)>(Comparer<(int Key, int Seq)>.Create((a, b) => a.Key.CompareTo(b.Key)), context))
        {
            foreach (var item in input) sorter.Add(item);
            var sorted = sorter.Sorted().ToList();
            CollectionAssert.AreEqual(input.OrderBy(x => x.Key).ToList(), sorted, "LINQ's OrderBy is stable: ties keep input order");
            Assert.IsTrue(context.Spills > 1);
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length);
    }

    [TestMethod]
    public void KeyComparer_StringsAreOrdinalAndTuplesFieldByField()
    {
        var strings = new List<string> { "b", "B", "a", "é", "A", "ä" };
        strings.Sort(KeyComparer.For<string>());
        CollectionAssert.AreEqual(new[] { "A", "B", "a", "b", "ä", "é" }, strings);
        var tuples = new List<(string, int)> { ("b", 1), ("a", 2), ("a", 1) };
        tuples.Sort(KeyComparer.For<(string, int)>(descending: true));
        CollectionAssert.AreEqual(new[] { ("b", 1), ("a", 2), ("a", 1) }, tuples);
    }

    [TestMethod]
    public void RangePartitioner_FromSample_KeepsOrderAcrossPartitions()
    {
        var sample = Enumerable.Range(0, 1000).Select(i => (i * 37) % 1000).ToList();
        var partitioner = Spark.Serverless.Shuffle.RangePartitioner<int>.FromSample(sample, 4, Comparer<int>.Default);
        Assert.AreEqual(4, partitioner.Partitions);
        int previous = 0;
        for (int key = -5; key < 1100; key++)
        {
            int p = partitioner.PartitionOf(key);
            Assert.IsTrue(p >= previous, "a larger key never lands in an earlier partition");
            previous = p;
        }
        Assert.AreEqual(0, partitioner.PartitionOf(int.MinValue));
        Assert.AreEqual(3, partitioner.PartitionOf(int.MaxValue));
    }
}

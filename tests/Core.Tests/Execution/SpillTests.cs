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
    [DataRow(256L << 20, false)]
    [DataRow(4096L, true)]
    public void KeyedSorter_SortsValuesStablyByKey_InMemoryOrAcrossRuns(long budget, bool spills)
    {
        var environment = TestTasks.Environment(budget);
        var context = TestTasks.Context(environment);
        // Values of every size, including nulls and ones larger than a value chunk (1 MiB), which get chunks of their own.
        var input = Enumerable.Range(0, 3000).Select(i => (Key: $"k{(i * 7919) % 53:D2}", Value: i % 97 == 0 ? null : $"{i}:{new string('v', i % 300)}")).ToList();
        input.Insert(1500, ("k10", new string('x', (1 << 20) + 3)));
        input.Insert(10, ("k00", new string('y', 3 << 20)));
        using (var sorter = new KeyedSorter<string, string?>(descending: false, context))
        {
            foreach (var (key, value) in input) sorter.Add(key, value);
            var sorted = sorter.Sorted().ToList();
            CollectionAssert.AreEqual(input.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Value).ToList(), sorted, "LINQ's OrderBy is stable: ties keep input order");
            Assert.AreEqual(spills, context.Spills > 1, $"spilled {context.Spills} times");
        }
        Assert.AreEqual(0, Directory.GetFiles(environment.SpillDirectory).Length, "runs are deleted on dispose");
    }

    [TestMethod]
    [DataRow(false, 256L << 20)]
    [DataRow(true, 256L << 20)]
    [DataRow(true, 8192L)]
    public void KeyedSorter_StringKeys_SortOrdinallyEvenWhereUtf8OrderDiffers(bool descending, long budget)
    {
        var context = TestTasks.Context(TestTasks.Environment(budget));
        // Shared prefixes longer than the four characters an entry holds, NULs, lengths either side of four, long
        // keys, and the characters whose UTF-8 order is not their UTF-16 order (a surrogate pair against U+E000..U+FFFF).
        string[] parts = ["a", "ab", "\0", "\uD83D\uDE00", "\uE000", "\uFFFF", "z", "é", "interna", "\u00FF"];
        var random = new Random(7);
        var input = Enumerable.Range(0, 4000).Select(i =>
        {
            var key = string.Concat(Enumerable.Range(0, random.Next(0, 7)).Select(_ => parts[random.Next(parts.Length)]));
            if (i % 500 == 0) key += new string('k', 300);
            return (Key: key, Value: i);
        }).ToList();
        using var sorter = new KeyedSorter<string, int>(descending, context);
        foreach (var (key, value) in input) sorter.Add(key, value);
        var expected = descending ? input.OrderByDescending(x => x.Key, StringComparer.Ordinal) : input.OrderBy(x => x.Key, StringComparer.Ordinal);
        CollectionAssert.AreEqual(expected.Select(x => x.Value).ToList(), sorter.Sorted().ToList());
        Assert.AreEqual(budget < 1 << 20, context.Spills > 0);
    }

    [TestMethod]
    public void KeyedSorter_RunsAfterTheFirstReuseItsBuffer()
    {
        // 3 MB of records per run, about 30 runs. A sorter that dropped its chunks and entry array at each run
        // allocated them again every time (over 200 MB here), garbage that only a full collection frees.
        var context = TestTasks.Context(TestTasks.Environment(3L << 20));
        using var sorter = new KeyedSorter<long, long>(descending: false, context);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 0; i < 3_000_000; i++) sorter.Add((i * 7919) % 1_000_003, i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.IsTrue(context.Spills >= 20, $"spilled {context.Spills} times");
        Assert.IsTrue(allocated < 40L << 20, $"allocated {allocated >> 20} MB while adding");
        long last = -1, count = 0;
        foreach (long value in sorter.Sorted())
        {
            long key = (value * 7919) % 1_000_003;
            Assert.IsTrue(key >= last, "keys come in order");
            last = key;
            count++;
        }
        Assert.AreEqual(3_000_000, count);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void KeyedSorter_ManyEntryPages_MergeInOrderKeepingTies(bool descending)
    {
        // 300,000 entries fill four full pages and part of a fifth; 1,000 distinct keys make ties span pages.
        var context = TestTasks.Context(TestTasks.Environment(1L << 30));
        var input = Enumerable.Range(0, 300_000).Select(i => (Key: (i * 7919L) % 1000, Value: i)).ToList();
        using var sorter = new KeyedSorter<long, int>(descending, context);
        foreach (var (key, value) in input) sorter.Add(key, value);
        var expected = descending ? input.OrderByDescending(x => x.Key) : input.OrderBy(x => x.Key);
        CollectionAssert.AreEqual(expected.Select(x => x.Value).ToList(), sorter.Sorted().ToList());
        Assert.AreEqual(0, context.Spills);
    }

    [TestMethod]
    public void KeyedSorter_Descending_StillKeepsTiesInInputOrder()
    {
        var context = TestTasks.Context(TestTasks.Environment(1 << 20));
        var input = Enumerable.Range(0, 2000).Select(i => (Key: (long)(i % 13), Value: (i, i * 0.5))).ToList();
        using var sorter = new KeyedSorter<long, (int, double)>(descending: true, context);
        foreach (var (key, value) in input) sorter.Add(key, value);
        CollectionAssert.AreEqual(input.OrderByDescending(x => x.Key).Select(x => x.Value).ToList(), sorter.Sorted().ToList());
        Assert.AreEqual(0, context.Spills);
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

using Spark.Serverless.Execution.Spill;

namespace Spark.Serverless.Tests.Execution;

[TestClass]
public sealed class CombineMapTests
{
    [TestMethod]
    public void CombineMap_CountsLikeADictionary_AcrossGrowths()
    {
        var random = new Random(3);
        var map = new CombineMap<string, long>();
        var expected = new Dictionary<string, long>();
        for (int i = 0; i < 200_000; i++)
        {
            string word = "w" + random.Next(50_000);
            map.GetValueRefOrAddDefault(word, out bool exists) += 2;
            Assert.AreEqual(expected.ContainsKey(word), exists, word);
            expected[word] = expected.GetValueOrDefault(word) + 2;
        }
        Assert.AreEqual(expected.Count, map.Count);
        var pairs = map.Pairs().ToList();
        Assert.AreEqual(expected.Count, pairs.Select(p => p.Key).Distinct().Count(), "each key once");
        foreach (var (key, value) in pairs) Assert.AreEqual(expected[key], value, key);
    }

    [TestMethod]
    public void CombineMap_Pairs_ComeInTheOrderTheKeysWereAdded_AcrossGrowthsAndAClear()
    {
        var map = new CombineMap<string, int>();
        var keys = Enumerable.Range(0, 5000).Select(i => $"key{i * 7919 % 5000}").ToList();
        foreach (var key in keys) map.GetValueRefOrAddDefault(key, out _)++;
        foreach (var key in keys) map.GetValueRefOrAddDefault(key, out _)++;
        CollectionAssert.AreEqual(keys, map.Pairs().Select(p => p.Key).ToList());
        Assert.IsTrue(map.Pairs().All(p => p.Value == 2));
        map.Clear();
        map.GetValueRefOrAddDefault("b", out _) = 1;
        map.GetValueRefOrAddDefault("a", out _) = 2;
        CollectionAssert.AreEqual(new[] { ("b", 1), ("a", 2) }, map.Pairs().ToList());
    }

    [TestMethod]
    public void CombineMap_KeysThatDifferOnlyInHighBits_StayFindable()
    {
        // long's hash folds the halves together: multiples of 2^32 hash to 1, 2, 3... and multiples of 2^40 to
        // multiples of 256, which would all land in one slot of a table indexed by low bits.
        var map = new CombineMap<long, int>();
        for (long i = 1; i <= 20_000; i++) map.GetValueRefOrAddDefault(i << 40, out _) = (int)i;
        for (long i = 1; i <= 20_000; i++)
        {
            Assert.AreEqual((int)i, map.GetValueRefOrAddDefault(i << 40, out bool exists), $"key {i} << 40");
            Assert.IsTrue(exists, $"key {i} << 40 found again");
        }
        Assert.AreEqual(20_000, map.Count);
        CollectionAssert.AreEquivalent(Enumerable.Range(1, 20_000).ToList(), map.Pairs().Select(p => p.Value).ToList());
    }

    [TestMethod]
    public void CombineMap_KeyWhoseHashIsZero_IsHeldLikeAnyOther()
    {
        var map = new CombineMap<int, string>();
        map.GetValueRefOrAddDefault(0, out bool existed) = "zero";
        Assert.IsFalse(existed);
        Assert.AreEqual("zero", map.GetValueRefOrAddDefault(0, out existed));
        Assert.IsTrue(existed, "hash 0 marks an empty slot, so the map must store such keys under another");
        Assert.AreEqual(1, map.Count);
    }

    [TestMethod]
    public void CombineMap_Clear_EmptiesTheMapForReuse()
    {
        var map = new CombineMap<string, int>();
        for (int i = 0; i < 1000; i++) map.GetValueRefOrAddDefault($"k{i}", out _) = i;
        map.Clear();
        Assert.AreEqual(0, map.Count);
        Assert.IsFalse(map.Pairs().Any());
        // Filled again in its kept slots, past their size.
        for (int i = 0; i < 3000; i++)
        {
            map.GetValueRefOrAddDefault($"k{i}", out bool existed) = -i;
            Assert.IsFalse(existed, $"k{i} was cleared");
        }
        Assert.AreEqual(3000, map.Count);
        Assert.AreEqual(-5, map.Pairs().Single(p => p.Key == "k5").Value);
    }
}

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
        foreach (var (key, value) in expected.Take(100)) Assert.IsTrue(map.TryGetValue(key, out long held) && held == value, key);
        Assert.IsFalse(map.TryGetValue("absent", out _));
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
            Assert.IsTrue(map.TryGetValue(i << 40, out int value), $"key {i} << 40");
            Assert.AreEqual((int)i, value);
        }
        Assert.IsFalse(map.TryGetValue(20_001L << 40, out _));
        Assert.AreEqual(20_000, map.Count);
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
        map.GetValueRefOrAddDefault("k5", out bool existed) = 9;
        Assert.IsFalse(existed);
        Assert.IsTrue(map.TryGetValue("k5", out int value) && value == 9);
    }
}

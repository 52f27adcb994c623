using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class SplitPlannerTests
{
    [TestMethod]
    public void Plan_MinPartitions_CutsIntoAtLeastThatManyContiguousSplits()
    {
        var blobs = new[] { new SplitPlanner.ListedBlob("in", "a.txt", 1000), new SplitPlanner.ListedBlob("in", "b.txt", 1000) };
        var splits = SplitPlanner.Plan(blobs, minPartitions: 4, maxSplitBytes: 1 << 20);
        Assert.AreEqual(4, splits.Count);
        foreach (var blob in blobs)
        {
            var mine = splits.Where(s => s.Blob == blob.Name).ToList();
            Assert.AreEqual(0, mine[0].Start);
            for (int i = 1; i < mine.Count; i++) Assert.AreEqual(mine[i - 1].End, mine[i].Start);
            Assert.AreEqual(blob.Length, mine[^1].End);
        }
    }

    [TestMethod]
    public void Plan_MaxSplitBytes_CapsSplitSizeWithTenPercentSlop()
    {
        // 1005 = 9 x 100 + 105, and 105 is within 10% of a split, so it stays one split rather than 100 + 5.
        var splits = SplitPlanner.Plan([new SplitPlanner.ListedBlob("in", "a", 1005)], 0, maxSplitBytes: 100);
        Assert.AreEqual(10, splits.Count);
        Assert.AreEqual(105, splits[^1].Length);
        Assert.AreEqual(1005, splits.Sum(s => s.Length));
    }

    [TestMethod]
    public void Plan_ZeroByteBlob_GetsNoSplit()
    {
        var splits = SplitPlanner.Plan([new SplitPlanner.ListedBlob("in", "empty", 0), new SplitPlanner.ListedBlob("in", "one", 5)], 4, 100);
        Assert.IsTrue(splits.All(s => s.Blob == "one"));
    }
}

using Spark.Serverless.Execution.Spill;

namespace Spark.Serverless.Tests.Execution;

[TestClass]
public sealed class PageMergeTests
{
    /// <summary>Orders pairs by their first item only, so pairs with equal first items tie.</summary>
    private readonly struct ByKey : IComparer<(int Key, int Tag)>
    {
        public int Compare((int Key, int Tag) x, (int Key, int Tag) y) => x.Key.CompareTo(y.Key);
    }

    [TestMethod]
    public void Merge_SortsEachPageAndYieldsEverythingInOrder_TiesFromEarlierPagesFirst()
    {
        var random = new Random(11);
        // Full pages of different lengths, and a last page whose array is longer than what it holds (the rest must be ignored).
        int[] counts = [500, 37, 1000, 1, 250];
        var pages = new List<(int Key, int Tag)[]>();
        var all = new List<(int Key, int Tag)>();
        for (int p = 0; p < counts.Length; p++)
        {
            var page = new (int Key, int Tag)[counts[p] + (p == counts.Length - 1 ? 10 : 0)];
            for (int i = 0; i < page.Length; i++) page[i] = (i < counts[p] ? random.Next(50) : -1, p * 10_000 + i);
            for (int i = 0; i < counts[p]; i++) all.Add(page[i]);
            pages.Add(page);
        }
        var merge = new PageMerge<(int Key, int Tag), ByKey>(pages, counts[^1], default);
        var merged = new List<(int Key, int Tag)>();
        while (merge.TryNext(out var item)) merged.Add(item);
        // Within a page a tie's order is the sort's own (Span.Sort is not stable); across pages, the earlier page first.
        Assert.AreEqual(all.Count, merged.Count);
        CollectionAssert.AreEquivalent(all, merged);
        for (int i = 1; i < merged.Count; i++)
        {
            Assert.IsTrue(merged[i - 1].Key <= merged[i].Key, $"out of order at {i}");
            if (merged[i - 1].Key == merged[i].Key) Assert.IsTrue(merged[i - 1].Tag / 10_000 <= merged[i].Tag / 10_000, $"a later page's tie came first at {i}");
        }
    }

    [TestMethod]
    public void Merge_OfNoPagesOrAnEmptyPage_YieldsNothing()
    {
        Assert.IsFalse(new PageMerge<(int Key, int Tag), ByKey>([], 0, default).TryNext(out _));
        Assert.IsFalse(new PageMerge<(int Key, int Tag), ByKey>([new (int, int)[4]], 0, default).TryNext(out _));
    }
}

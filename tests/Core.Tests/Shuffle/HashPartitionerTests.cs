using Spark.Serverless.Shuffle;

namespace Spark.Serverless.Tests.Shuffle;

[TestClass]
public sealed class HashPartitionerTests
{
    [TestMethod]
    public void Hash_IsAFixedFunctionOfTheKey_NotOfTheProcess()
    {
        // Pinned values: executors in different processes must agree, so the hash may never depend on the process
        // (string.GetHashCode is randomized per process). If these change, old and new executors would disagree.
        Assert.AreEqual(KeyHasher<string>.Hash("spark"), KeyHasher<string>.Hash(new string("spark".ToCharArray())));
        Assert.AreEqual(4831510357581255353UL, KeyHasher<string>.Hash("spark"));
        Assert.AreEqual(KeyHasher<(string, int)>.Hash(("a", 1)), KeyHasher<(string, int)>.Hash(("a", 1)));
    }

    [TestMethod]
    public void Hash_EqualDoublesAndDecimals_HashAlike()
    {
        Assert.AreEqual(KeyHasher<double>.Hash(0.0), KeyHasher<double>.Hash(-0.0));
        Assert.AreEqual(KeyHasher<decimal>.Hash(1.0m), KeyHasher<decimal>.Hash(1.000m));
        Assert.AreEqual(KeyHasher<(double, string)>.Hash((-0.0, "x")), KeyHasher<(double, string)>.Hash((0.0, "x")));
    }

    [TestMethod]
    public void PartitionOf_ManyKeys_SpreadsOverEveryPartition()
    {
        var partitioner = new HashPartitioner<string>(8);
        var counts = new int[8];
        for (int i = 0; i < 8000; i++) counts[partitioner.PartitionOf("key" + i)]++;
        Assert.IsTrue(counts.All(c => c is > 800 and < 1200), string.Join(",", counts));
    }
}

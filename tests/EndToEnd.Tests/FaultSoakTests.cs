using Spark.Serverless.Testing;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>The short version of <c>spark-bench soak</c>: a few jobs under random SIGKILLs of executors and drivers.</summary>
[TestClass]
public sealed class FaultSoakTests
{
    [TestMethod]
    public async Task ShortSoak_EveryJobCompletesWithNothingLostOrDuplicated()
    {
        var lines = new List<string>();
        var result = await FaultSoak.RunAsync(jobs: 4, executors: 3, killEvery: TimeSpan.FromSeconds(1.5), seed: 7, lines.Add, TimeSpan.FromMinutes(4));
        string story = string.Join('\n', lines);
        Assert.AreEqual(4, result.Completed, story);
        Assert.AreEqual(0, result.RecordsLost, story);
        Assert.AreEqual(0, result.RecordsDuplicated, story);
        Assert.IsTrue(result.ExecutorKills + result.DriverKills >= 2, $"the soak killed something ({story})");
    }
}

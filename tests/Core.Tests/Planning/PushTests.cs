using Spark.Serverless.Nodes;
using Spark.Serverless.Planning;
using Spark.Serverless.Tests.Shuffle;

namespace Spark.Serverless.Tests.Planning;

[TestClass]
public sealed class PushTests
{
    [TestMethod]
    public void Push_ThroughNarrowNodes_DeliversWhatComputeStreams()
    {
        string[] lines = ["the cat sat", "", "on  the mat", "the end"];
        var source = new ParallelizeNode<string>(lines, 2) { NumPartitions = 2 };
        // One flatMap returns arrays (the indexed path), the other a lazy sequence.
        var words = new FlatMapNode<string, string>(source, line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)) { NumPartitions = 2 };
        var letters = new FlatMapNode<string, char>(words, word => word.Where(char.IsLetter)) { NumPartitions = 2 };
        var kept = new FilterNode<char>(letters, c => c != 't') { NumPartitions = 2 };
        var pairs = new MapNode<char, (char, int)>(kept, c => (c, 1)) { NumPartitions = 2 };
        var context = TestTasks.Context(TestTasks.Environment(1 << 20));
        for (int partition = 0; partition < 2; partition++)
        {
            var computed = pairs.Compute(context, partition).ToList();
            var pushed = new ListSink<(char, int)>();
            pairs.Push(context, partition, pushed);
            Assert.IsTrue(computed.Count > 0, "each partition has records");
            CollectionAssert.AreEqual(computed, pushed.Records, $"partition {partition}");
        }
    }

    private sealed class ListSink<T> : RecordSink<T>
    {
        public List<T> Records { get; } = [];

        public override void Accept(T record) => Records.Add(record);
    }
}

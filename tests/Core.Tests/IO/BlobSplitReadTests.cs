using System.Text;
using Spark.Serverless.IO;
using Spark.Serverless.Storage;
using Spark.Serverless.Testing;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class BlobSplitReadTests
{
    private static AzuriteInstance s_azurite = null!;
    private static SparkStorage s_storage = null!;

    [ClassInitialize]
    public static async Task StartAzurite(TestContext _)
    {
        s_azurite = await AzuriteInstance.StartAsync();
        s_storage = s_azurite.CreateStorage();
        await s_storage.GetContainer("input").CreateIfNotExistsAsync();
    }

    [ClassCleanup]
    public static async Task StopAzurite() => await s_azurite.DisposeAsync();

    [TestMethod]
    public async Task RangeReads_SplitsOfARealBlob_ReadEveryLineOnce()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 300; i++) text.Append("line ").Append(i).Append(i % 3 == 0 ? " with a longer tail ü\r\n" : "\n");
        text.Append("final line without newline");
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        var blob = s_storage.GetContainer("input").GetBlobClient("split/test.txt");
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);
        var expected = text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        foreach (long splitSize in new long[] { 97, 1000, bytes.Length })
        {
            var splits = SplitPlanner.Plan([new SplitPlanner.ListedBlob("input", "split/test.txt", bytes.Length)], 0, splitSize);
            var lines = new List<string>();
            int requests = 0;
            foreach (var split in splits)
            {
                // Small chunks force many range requests and tail reads past the split end.
                using var stream = new BlobRangeStream(blob, split.Start == 0 ? 0 : split.Start - 1, split.BlobLength, split.End, chunkBytes: 64, tailChunkBytes: 16);
                lines.AddRange(LineSplitReader.ReadLines(stream, split.Start, split.End, bufferSize: 32));
                requests += stream.Requests;
            }
            CollectionAssert.AreEqual(expected, lines, $"split size {splitSize}");
            Assert.IsTrue(requests >= splits.Count);
        }
    }
}

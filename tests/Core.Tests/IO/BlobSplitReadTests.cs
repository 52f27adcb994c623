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

    [TestMethod]
    public async Task RangeStream_AskingAhead_ReadsEachChunkOnce_InOrder()
    {
        byte[] bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var blob = s_storage.GetContainer("input").GetBlobClient("split/ahead.bin");
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);

        using var stream = new BlobRangeStream(blob, 0, bytes.Length, bytes.Length, chunkBytes: 100, tailChunkBytes: 16);
        var read = new MemoryStream();
        // Odd-sized reads cross chunk boundaries mid-buffer.
        var buffer = new byte[37];
        int n;
        while ((n = stream.Read(buffer)) > 0) read.Write(buffer, 0, n);
        CollectionAssert.AreEqual(bytes, read.ToArray());
        Assert.AreEqual(10, stream.Requests, "ten chunks, each asked for once, the next one ahead of its turn");
        Assert.AreEqual(bytes.Length, stream.BytesFetched);
    }

    [TestMethod]
    public async Task RangeStream_AsksForTheNextChunk_OnceHalfOfTheCurrentOneIsRead()
    {
        var blob = s_storage.GetContainer("input").GetBlobClient("split/left.bin");
        await blob.UploadAsync(new BinaryData(new byte[1000]), overwrite: true);
        var stream = new BlobRangeStream(blob, 0, 1000, 1000, chunkBytes: 100, tailChunkBytes: 16);
        Assert.AreEqual(40, stream.Read(new byte[40]));
        Assert.AreEqual(1, stream.Requests, "a reader that stops this early (take) has fetched nothing it will not read");
        Assert.AreEqual(10, stream.Read(new byte[10]));
        Assert.AreEqual(2, stream.Requests, "half read: the chunk after it is asked for");
        // Disposing closes the chunk asked for ahead whenever it answers; the blob stays readable.
        stream.Dispose();
        Assert.AreEqual(1000, (await blob.DownloadContentAsync()).Value.Content.ToArray().Length);

        using var sampling = new BlobRangeStream(blob, 0, 1000, 1000, chunkBytes: 100, tailChunkBytes: 16, readAhead: false);
        Assert.AreEqual(90, sampling.Read(new byte[90]));
        Assert.AreEqual(1, sampling.Requests, "without read-ahead only the chunk being read is fetched");
        while (sampling.Read(new byte[64]) > 0) { }
        Assert.AreEqual(10, sampling.Requests);
    }

    [TestMethod]
    public async Task RangeStream_BlobReplacedMidRead_FailsOnTheETag()
    {
        var blob = s_storage.GetContainer("input").GetBlobClient("split/replaced.bin");
        var etag = (await blob.UploadAsync(new BinaryData(new byte[1000]), overwrite: true)).Value.ETag;
        using var stream = new BlobRangeStream(blob, 0, 1000, 1000, chunkBytes: 100, tailChunkBytes: 16, etag: etag);
        Assert.AreEqual(50, stream.Read(new byte[50]));
        await blob.UploadAsync(new BinaryData(new byte[1000]), overwrite: true);
        // The chunk asked for ahead may still be the old version's; a later one cannot be.
        var e = Assert.ThrowsExactly<Azure.RequestFailedException>(() => { while (stream.Read(new byte[64]) > 0) { } });
        Assert.AreEqual(412, e.Status);
    }
}

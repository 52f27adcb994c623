using System.IO.Compression;
using Spark.Serverless.Serialization;
using Spark.Serverless.Shuffle;

namespace Spark.Serverless.Tests.Shuffle;

[TestClass]
public sealed class FrameCompressionTests
{
    private static readonly RecordCodec<(long, double)> Codec = RecordCodec.For<(long, double)>();

    [TestMethod]
    public void Frame_RecordsThatBarelyShrink_AreStoredForARunThenTriedAgain()
    {
        var random = new Random(7);
        var compression = new FrameCompression();
        var block = new MemoryStream();
        var records = new List<(long, double)>();
        var levels = new List<CompressionLevel>();
        for (int f = 0; f < FrameCompression.StoredRun + 2; f++)
        {
            // A join's line items: order keys and amounts, whose doubles DEFLATE cannot do much with.
            var frame = Enumerable.Range(0, 2000).Select(_ => ((long)random.Next(6_000_000), random.NextDouble() * 100_000)).ToList();
            records.AddRange(frame);
            levels.Add(compression.Next);
            using var raw = Serialize(frame);
            long before = block.Length;
            block.Write(compression.Frame(raw.WrittenSpan));
            if (levels[^1] == CompressionLevel.NoCompression)
                Assert.IsTrue(block.Length - before <= raw.BytesWritten + 4 + 5 * (raw.BytesWritten / 65535 + 1), "a stored frame is its records plus DEFLATE's block headers");
        }
        CompressionLevel[] expected =
            [CompressionLevel.Fastest, .. Enumerable.Repeat(CompressionLevel.NoCompression, FrameCompression.StoredRun), CompressionLevel.Fastest];
        CollectionAssert.AreEqual(expected, levels);
        block.Position = 0;
        CollectionAssert.AreEqual(records, ShuffleReader.ReadRecords<(long, double)>(block, block.Length).ToList());
    }

    [TestMethod]
    public void Frame_RecordsThatShrink_StayCompressed()
    {
        var compression = new FrameCompression();
        long rawBytes = 0, frameBytes = 0;
        for (int f = 0; f < 5; f++)
        {
            using var raw = Serialize(Enumerable.Range(0, 2000).Select(i => ((long)(i % 50), (double)(i % 7))).ToList());
            Assert.AreEqual(CompressionLevel.Fastest, compression.Next);
            rawBytes += raw.BytesWritten;
            frameBytes += compression.Frame(raw.WrittenSpan).Length;
        }
        Assert.IsTrue(frameBytes < rawBytes * FrameCompression.StoreAbove / 2, $"{frameBytes} bytes of frames for {rawBytes} serialized");
    }

    private static RecordWriter Serialize(List<(long, double)> records)
    {
        var raw = new RecordWriter(null);
        foreach (var r in records) Codec.Write(raw, r);
        return raw;
    }
}

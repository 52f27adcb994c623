using System.Text;
using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class LineSplitReaderTests
{
    private static readonly string[] Texts =
    [
        "alpha\nbeta\ngamma\n",
        "alpha\r\nbeta\r\n\r\ngamma delta\r\n",
        "no trailing newline\nlast line without end",
        "\n\n\nx\n\n",
        "naïve café — 日本語のテキスト\n😀 emoji line\r\nÅngström\n",
        "single",
        "mixed\r\nendings\nhere\r\n",
    ];

    [TestMethod]
    public void ReadLines_EverySplitSize_ReadsEachLineExactlyOnceInOrder()
    {
        foreach (var text in Texts)
        {
            var expected = Oracle(text);
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            for (int size = 1; size <= bytes.Length + 1; size++)
            {
                var actual = ReadAllSplits(bytes, size, bufferSize: 4);
                CollectionAssert.AreEqual(expected, actual, $"text {Escape(text)} split size {size}");
            }
        }
    }

    [TestMethod]
    public void ReadLines_LineCrossingSplitBoundary_IsReadOnceByTheSplitItStartsIn()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("first line\nthis line crosses the boundary\nthird\n");
        // The boundary at 15 falls inside the second line, which starts at 11.
        var first = Read(bytes, 0, 15, 64);
        var second = Read(bytes, 15, bytes.Length - 15, 64);
        CollectionAssert.AreEqual(new[] { "first line", "this line crosses the boundary" }, first);
        CollectionAssert.AreEqual(new[] { "third" }, second);
    }

    [TestMethod]
    public void ReadLines_SplitStartingExactlyAtALine_KeepsThatLine()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("abc\ndef\n");
        CollectionAssert.AreEqual(new[] { "abc" }, Read(bytes, 0, 4, 16));
        CollectionAssert.AreEqual(new[] { "def" }, Read(bytes, 4, 4, 16));
    }

    [TestMethod]
    public void ReadLines_ByteOrderMarkAtStart_IsDropped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("héllo\r\nworld")];
        CollectionAssert.AreEqual(new[] { "héllo", "world" }, Read(bytes, 0, bytes.Length, 2));
    }

    [TestMethod]
    public void ReadLines_LineLongerThanBuffer_IsReadWhole()
    {
        string longLine = new('x', 100_000);
        byte[] bytes = Encoding.UTF8.GetBytes($"a\n{longLine}\nb");
        CollectionAssert.AreEqual(new[] { "a", longLine, "b" }, Read(bytes, 0, bytes.Length, 16));
    }

    /// <summary>The oracle: split on '\n', drop one trailing '\r', and no phantom line after a final newline.</summary>
    private static List<string> Oracle(string text)
    {
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (text.EndsWith('\n')) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static List<string> ReadAllSplits(byte[] bytes, int splitSize, int bufferSize)
    {
        var lines = new List<string>();
        for (int start = 0; start < bytes.Length; start += splitSize)
            lines.AddRange(Read(bytes, start, Math.Min(splitSize, bytes.Length - start), bufferSize));
        return lines;
    }

    private static List<string> Read(byte[] bytes, int start, int length, int bufferSize)
    {
        int from = start == 0 ? 0 : start - 1;
        using var stream = new MemoryStream(bytes, from, bytes.Length - from);
        return LineSplitReader.ReadLines(stream, start, start + length, bufferSize).ToList();
    }

    private static string Escape(string s) => s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

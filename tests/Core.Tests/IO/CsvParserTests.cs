using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class CsvParserTests
{
    [TestMethod]
    public void ParseLine_QuotedDelimitersAndQuotes_AreKept()
    {
        CollectionAssert.AreEqual(new[] { "a", "b,c", "say \"hi\"", "" }, CsvParser.ParseLine("a,\"b,c\",\"say \"\"hi\"\"\","));
        CollectionAssert.AreEqual(new[] { "x", "y" }, CsvParser.ParseLine("x|y", '|'));
        CollectionAssert.AreEqual(new[] { "" }, CsvParser.ParseLine(""));
    }

    [TestMethod]
    public void ParseLine_LineBreaksOrANonAsciiDelimiter_TakeTheRecordMachine()
    {
        CollectionAssert.AreEqual(new[] { "a", "b" }, CsvParser.ParseLine("a,b\r\nc,d"), "the first record only");
        CollectionAssert.AreEqual(new[] { "a", "b,c" }, CsvParser.ParseLine("a§b,c", '§'));
    }

    [TestMethod]
    public void ParseRecords_NewlinesInsideQuotes_BelongToTheField()
    {
        string text = "id,note\r\n1,\"line one\nline two\"\r\n\r\n2,\"a,b\"\n3,plain";
        var rows = CsvParser.ParseRecords(new StringReader(text)).ToList();
        Assert.AreEqual(4, rows.Count, "the blank line is skipped");
        CollectionAssert.AreEqual(new[] { "1", "line one\nline two" }, rows[1]);
        CollectionAssert.AreEqual(new[] { "2", "a,b" }, rows[2]);
        CollectionAssert.AreEqual(new[] { "3", "plain" }, rows[3]);
    }
}

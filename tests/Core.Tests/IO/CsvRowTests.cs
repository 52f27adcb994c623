using System.Text;
using Spark.Serverless.IO;
using Spark.Serverless.Serialization;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class CsvRowTests
{
    [TestMethod]
    [DataRow("plain,fields,,end,")]
    [DataRow("\"quoted\",x")]
    [DataRow("a,\"b,c\",\"say \"\"hi\"\"\",")]
    [DataRow("mid\"quote,\"after\"tail,x")]
    [DataRow("\"unterminated,still one field")]
    [DataRow("\"\"")]
    [DataRow("\"\",\"\",")]
    [DataRow(",,,")]
    [DataRow("1,2,\"the \"\"bold\"\" ones\"")]
    [DataRow("\"a\"\"\",b")]
    [DataRow("x,\"y\"\"")]
    [DataRow("\"\"\"\"\"\",\"q\" after,")]
    [DataRow("")]
    [DataRow(",")]
    [DataRow("one")]
    [DataRow("tab\tand café,naïve,déjà vu")]
    [DataRow("bare\rreturn,x")]
    [DataRow("1,\"quickly, bold\"")]
    [DataRow("\"café, naïve\",déjà")]
    [DataRow("0123456789abcdef,\"q,1\",0123456789abcdefghij,\"x\"\"y\",tail,,\"\",\"\"\"\"")]
    [DataRow("short,\"a quoted field longer than sixteen bytes, with a comma\"after,0123456789abcdefghijklmnop,\"")]
    public void FromLine_GivesTheFieldsTheRecordParserGives(string line)
    {
        var row = Row(line);
        var expected = CsvParser.ParseRecords(new StringReader(line), keepBlankLines: true).FirstOrDefault() ?? [""];
        Assert.AreEqual(expected.Length, row.Length, line);
        CollectionAssert.AreEqual(expected, row.ToArray(), line);
        CollectionAssert.AreEqual(expected, row.ToList(), "enumerating: " + line);
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], row[i], $"{line} [{i}]");
    }

    [TestMethod]
    public void FromLine_LongMixedLines_GiveTheFieldsTheRecordParserGives()
    {
        // Lines long enough to leave the stack buffers (over 256 and 512 bytes), with quoted fields anywhere among
        // plain ones of every length, so fields start and end on either side of each 16-byte block.
        var random = new Random(7);
        string[] pieces = ["", "a", "0123456789abcdef", "x,y", "say \"hi\"", "café", " spaced ", "\"", "1998-09-02"];
        int longLines = 0;
        for (int n = 0; n < 300; n++)
        {
            var fields = Enumerable.Range(0, 1 + random.Next(120)).Select(_ =>
            {
                string text = string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => pieces[random.Next(pieces.Length)]));
                bool quote = text.Contains(',') || text.Contains('"') || random.Next(4) == 0;
                return quote ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
            });
            string line = string.Join(',', fields);
            if (Encoding.UTF8.GetByteCount(line) > 512) longLines++;
            var expected = CsvParser.ParseRecords(new StringReader(line), keepBlankLines: true).FirstOrDefault() ?? [""];
            CollectionAssert.AreEqual(expected, Row(line).ToArray(), line);
        }
        Assert.IsTrue(longLines > 50, $"{longLines} of the lines are past the stack buffers");
    }

    [TestMethod]
    public void FromLine_PlainLines_GiveEveryFieldInAnyOrderOfReading()
    {
        // A line without quotes finds its fields' ends only as far as the fields read: read them last first, from the
        // middle outwards, one at a time upwards and at random, with fields ending on either side of 16-byte blocks.
        var random = new Random(11);
        string[] pieces = ["", "a", "0123456789abcdef", "0123456789abcde", "café", " ", "1998-09-02", "17"];
        for (int n = 0; n < 400; n++)
        {
            var expected = Enumerable.Range(0, 1 + random.Next(40))
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(3)).Select(_ => pieces[random.Next(pieces.Length)]))).ToArray();
            string line = string.Join(',', expected);
            int[] order = (n % 4) switch
            {
                0 => [.. Enumerable.Range(0, expected.Length).Reverse()],
                1 => [.. Enumerable.Range(0, expected.Length).OrderBy(i => Math.Abs(i - expected.Length / 2))],
                2 => [.. Enumerable.Range(0, expected.Length)],
                _ => [.. Enumerable.Range(0, expected.Length).OrderBy(_ => random.Next())],
            };
            var row = Row(line);
            Assert.AreEqual(expected.Length, row.Length, line);
            foreach (int i in order) Assert.AreEqual(expected[i], row[i], $"{line} [{i}]");
            // A row read only in part equals one read in full, and one made of the strings.
            var partly = Row(line);
            _ = partly[random.Next(expected.Length)];
            Assert.AreEqual(row, partly, line);
            Assert.AreEqual(new CsvRow(expected), partly, line);
            Assert.AreEqual(row.GetHashCode(), Row(line).GetHashCode(), line);
        }
        Assert.ThrowsExactly<IndexOutOfRangeException>(() => Row("a,b")[2]);
    }

    [TestMethod]
    public void FromLine_OtherDelimiters_SplitOnThem()
    {
        CollectionAssert.AreEqual(new[] { "a", "b,c", "" }, CsvRow.FromLine("a|b,c|"u8, '|').ToArray());
        // A delimiter outside ASCII cannot be matched byte by byte; the row is parsed as text.
        CollectionAssert.AreEqual(new[] { "a", "b" }, CsvRow.FromLine(Encoding.UTF8.GetBytes("a§b"), '§').ToArray());
    }

    [TestMethod]
    public void TypedGetters_ParseLikeTheirTextParsers()
    {
        var row = Row("42,-7,0.05,\"1,234.5\",17.25,,x");
        Assert.AreEqual(42L, row.GetLong(0));
        Assert.AreEqual(-7, row.GetInt(1));
        Assert.AreEqual(0.05, row.GetDouble(2));
        Assert.AreEqual(1234.5, row.GetDouble(3), "thousands separators, as double.Parse reads them; this row is quoted");
        Assert.AreEqual(17.25m, row.GetDecimal(4));
        Assert.IsTrue(row.IsEmpty(5));
        Assert.IsFalse(row.IsEmpty(6));
        var bytes = Row("9000000000,3.5e2");
        Assert.AreEqual(9_000_000_000L, bytes.GetLong(0));
        Assert.AreEqual(350.0, bytes.GetDouble(1));
    }

    [TestMethod]
    public void TypedGetters_BadText_NameTheFieldAndItsText()
    {
        var row = Row("1,abc,9000000000");
        var e = Assert.ThrowsExactly<FormatException>(() => row.GetDouble(1));
        StringAssert.Contains(e.Message, "Field 1");
        StringAssert.Contains(e.Message, "\"abc\"");
        Assert.ThrowsExactly<FormatException>(() => row.GetInt(2), "out of an int's range");
        var missing = Assert.ThrowsExactly<IndexOutOfRangeException>(() => row[3]);
        StringAssert.Contains(missing.Message, "3");
    }

    [TestMethod]
    public void StringArrayHabits_KeepWorking()
    {
        var row = Row("a,b,c,d");
        CollectionAssert.AreEqual(new[] { "b", "c" }, row[1..3]);
        string[] array = row;
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, array);
        Assert.AreEqual("a|b|c|d", string.Join("|", row));
        Assert.AreEqual("d", row[^1]);
    }

    [TestMethod]
    public void Equality_IsByFields_WhateverTheRowWasReadFrom()
    {
        var fromBytes = Row("a,b,1");
        Assert.AreEqual(Row("a,b,1"), fromBytes);
        Assert.AreEqual(new CsvRow("a", "b", "1"), fromBytes);
        Assert.AreEqual(Row("\"a\",b,1"), fromBytes, "a quoted field is the same field");
        Assert.AreEqual(new CsvRow("a", "b", "1").GetHashCode(), fromBytes.GetHashCode());
        Assert.AreNotEqual(Row("a,b,2"), fromBytes);
        Assert.AreNotEqual(Row("a,b"), fromBytes);
    }

    [TestMethod]
    public void Codec_RoundTripsAndHashesLikeAStringArray()
    {
        using var asArray = new RecordWriter(null);
        RecordCodec.For<string[]>().Write(asArray, ["k", "x,é", "", "3"]);
        // A row read from bytes (written from its bytes) and one made of strings (written from them) alike.
        foreach (var row in new[] { Row("k,\"x,é\",,3"), new CsvRow("k", "x,é", "", "3") })
        {
            using var writer = new RecordWriter(null);
            RecordCodec.For<CsvRow>().Write(writer, row);
            var back = RecordCodec.For<CsvRow>().Read(new RecordReader(new MemoryStream(writer.WrittenSpan.ToArray())));
            Assert.AreEqual(row, back);
            CollectionAssert.AreEqual(asArray.WrittenSpan.ToArray(), writer.WrittenSpan.ToArray());
        }
    }

    [TestMethod]
    public void TextFormat_WritesARowAsAStringArray()
    {
        Assert.AreEqual(TextFormat.Format(new[] { "a", "b" }), TextFormat.Format(Row("a,b")));
    }

    private static CsvRow Row(string line) => CsvRow.FromLine(Encoding.UTF8.GetBytes(line), ',');
}

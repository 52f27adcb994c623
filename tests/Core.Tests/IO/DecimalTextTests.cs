using System.Globalization;
using System.Text;
using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class DecimalTextTests
{
    [TestMethod]
    [DataRow("0")]
    [DataRow("-0")]
    [DataRow("0.05")]
    [DataRow("51922.78")]
    [DataRow("+7")]
    [DataRow("1.")]
    [DataRow(".5")]
    [DataRow("-123456789.012345")]
    [DataRow("999999999999999")]
    [DataRow("0.1")]
    [DataRow("0.3")]
    [DataRow("2.675")]
    public void TryParseDouble_SimpleDecimals_EqualDoubleParse(string text)
    {
        Assert.IsTrue(DecimalText.TryParseDouble(Encoding.ASCII.GetBytes(text), out double value), text);
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value), text);
    }

    [TestMethod]
    public void TryParseDouble_RandomDecimals_EqualDoubleParseBitForBit()
    {
        var random = new Random(12345);
        for (int n = 0; n < 200_000; n++)
        {
            int whole = random.Next(0, 10), fraction = random.Next(0, 16 - Math.Max(whole, 1));
            var text = new StringBuilder();
            if (random.Next(4) == 0) text.Append('-');
            for (int i = 0; i < Math.Max(whole, 1); i++) text.Append((char)('0' + random.Next(10)));
            if (fraction > 0) text.Append('.');
            for (int i = 0; i < fraction; i++) text.Append((char)('0' + random.Next(10)));
            string s = text.ToString();
            Assert.IsTrue(DecimalText.TryParseDouble(Encoding.ASCII.GetBytes(s), out double value), s);
            Assert.AreEqual(BitConverter.DoubleToInt64Bits(double.Parse(s, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value), s);
        }
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("-")]
    [DataRow(".")]
    [DataRow("1e5")]
    [DataRow(" 1")]
    [DataRow("1,000")]
    [DataRow("1.2.3")]
    [DataRow("1234567890123456")]
    [DataRow("NaN")]
    [DataRow("--1")]
    public void TryParseDouble_OtherShapes_AreLeftToTheGeneralParser(string text) =>
        Assert.IsFalse(DecimalText.TryParseDouble(Encoding.ASCII.GetBytes(text), out _), text);
}

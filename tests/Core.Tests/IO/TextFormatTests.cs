using System.Globalization;
using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class TextFormatTests
{
    [TestMethod]
    public void Format_TupleAndNumbers_UseTabsAndInvariantCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Assert.AreEqual("word\t42", TextFormat.Format(("word", 42L)));
            Assert.AreEqual("1.5\t\tTrue", TextFormat.Format((1.5, (string?)null, true)));
            Assert.AreEqual("3.25", TextFormat.Format(3.25m));
            Assert.AreEqual("plain", TextFormat.Format("plain"));
            Assert.AreEqual("k\t1.5\t", TextFormat.Format(("k", (1.5, Optional<int>.None))), "nested tuples flatten; a missing value is empty");
            Assert.AreEqual("k\t[1,2]", TextFormat.Format(("k", (IReadOnlyList<int>)[1, 2])));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

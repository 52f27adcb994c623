using Spark.Serverless.IO;

namespace Spark.Serverless.Tests.IO;

[TestClass]
public sealed class BlobPathTests
{
    [TestMethod]
    [DataRow("input/books/*.txt", "input", "books/*.txt")]
    [DataRow("output/wordcount/", "output", "wordcount")]
    [DataRow("my-data/a/b/c.csv", "my-data", "a/b/c.csv")]
    public void TryParse_ValidPath_SplitsContainerAndName(string text, string container, string name)
    {
        Assert.IsTrue(BlobPath.TryParse(text, out var path, out var error), error);
        Assert.AreEqual(container, path!.Value.Container);
        Assert.AreEqual(name, path.Value.Name);
    }

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow("justacontainer", "no prefix")]
    [DataRow("/abs/path", "absolute")]
    [DataRow("input\\books", "backslash")]
    [DataRow("input/../secret", "'..'")]
    [DataRow("In/books", "not a valid container name")]
    [DataRow("a/books", "not a valid container name")]
    [DataRow("in--x/books", "not a valid container name")]
    [DataRow("input//books", "empty segment")]
    public void TryParse_BadPath_NamesTheProblem(string text, string expected)
    {
        Assert.IsFalse(BlobPath.TryParse(text, out _, out var error));
        StringAssert.Contains(error, expected);
    }

    [TestMethod]
    public void ToRegex_Glob_MatchesWithinOrAcrossSegments()
    {
        var star = BlobPath.Parse("input/books/*.txt").ToRegex();
        Assert.IsTrue(star.IsMatch("books/a.txt"));
        Assert.IsFalse(star.IsMatch("books/sub/a.txt"));
        Assert.IsFalse(star.IsMatch("books/a.txt.bak"));
        var globstar = BlobPath.Parse("input/books/**.txt").ToRegex();
        Assert.IsTrue(globstar.IsMatch("books/sub/a.txt"));
        Assert.IsTrue(BlobPath.Parse("input/b?ok/[ab].txt").ToRegex().IsMatch("book/a.txt"));
        Assert.AreEqual("books/", BlobPath.Parse("input/books/*.txt").LiteralPrefix);
    }

    [TestMethod]
    public void IsHidden_UnderscoreOrDotSegments_AreHidden()
    {
        Assert.IsTrue(BlobPath.IsHidden("out/_SUCCESS"));
        Assert.IsTrue(BlobPath.IsHidden(".tmp/x"));
        Assert.IsFalse(BlobPath.IsHidden("out/part-00000"));
    }
}

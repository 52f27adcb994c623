using System.Text;
using Spark.Serverless.Driver.Spec;

namespace Spark.Serverless.Driver.Tests.Spec;

[TestClass]
public sealed class SpecParserTests
{
    [TestMethod]
    public void Parse_WordCount_GivesStepsInOrder()
    {
        var spec = Parse(Specs.WordCount);
        Assert.AreEqual("wc", spec.Name);
        CollectionAssert.AreEqual(new[] { "textFile", "flatMap", "map", "reduceByKey", "saveAsTextFile" }, spec.Steps.Select(s => s.Op.Name).ToArray());
        Assert.AreEqual("step5", spec.Steps[4].Id);
        Assert.IsFalse(spec.Steps[4].HasExplicitId);
    }

    [TestMethod]
    [DataRow("{ \"steps\": [ ", "not valid JSON")]
    [DataRow("[1, 2]", "must be a JSON object")]
    [DataRow("{ \"name\": \"x\" }", "'steps' must be a non-empty array")]
    [DataRow("{ \"steps\": [], \"colour\": 1 }", "Unknown top-level field 'colour'")]
    public void Parse_BadDocument_NamesTheProblem(string json, string expected) => AssertRejected(json, expected);

    [TestMethod]
    public void Parse_UnknownOp_NamesTheOpAndTheKnownOnes() =>
        AssertRejected(Specs.WordCount.Replace("\"op\": \"map\"", "\"op\": \"mapp\"", StringComparison.Ordinal), "Step 'pairs': unknown op 'mapp'; known ops are textFile, csv, jsonLines");

    [TestMethod]
    public void Parse_FromNamingNoEarlierStep_IsRejected() =>
        AssertRejected(Specs.WordCount.Replace("\"from\": \"words\"", "\"from\": \"wurds\"", StringComparison.Ordinal), "Step 'pairs' (map): 'from' names 'wurds', which is no earlier step.");

    [TestMethod]
    public void Parse_FromNamingALaterStep_IsRejected() =>
        AssertRejected(Specs.WordCount.Replace("\"from\": \"lines\"", "\"from\": \"counts\"", StringComparison.Ordinal), "'from' names 'counts', which is no earlier step");

    [TestMethod]
    public void Parse_DuplicateStepId_IsRejected() =>
        AssertRejected(Specs.WordCount.Replace("\"id\": \"pairs\"", "\"id\": \"words\"", StringComparison.Ordinal), "Step 3: duplicate step id 'words' (step 2 has it already).");

    [TestMethod]
    [DataRow("\"input\"", "has no prefix after the container")]
    [DataRow("\"/input/books\"", "is absolute")]
    [DataRow("\"input/../etc/passwd\"", "contains a '..' segment")]
    [DataRow("\"input\\\\books\"", "contains a backslash")]
    [DataRow("\"Input/books\"", "is not a valid container name")]
    [DataRow("42", "'path' must be a string")]
    public void Parse_PathNotInContainerPrefixForm_IsRejected(string path, string expected) =>
        AssertRejected(Specs.WordCount.Replace("\"path\": \"input/books/*.txt\"", $"\"path\": {path}", StringComparison.Ordinal), expected);

    [TestMethod]
    public void Parse_MissingAndUnknownFields_AreAllReported()
    {
        string json = """{ "steps": [ { "id": "a", "op": "textFile", "pth": "x/y" }, { "op": "map", "from": "a" } ] }""";
        var e = Assert.ThrowsExactly<SpecException>(() => Parse(json));
        CollectionAssert.Contains(e.Errors.ToList(), "Step 'a' (textFile): unknown field 'pth' for textFile.");
        CollectionAssert.Contains(e.Errors.ToList(), "Step 'a' (textFile): missing 'path'.");
        CollectionAssert.Contains(e.Errors.ToList(), "Step 2 (map): missing 'fn'.");
        Assert.IsTrue(e.Errors.Any(m => m.StartsWith("The spec has no action step", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Parse_BadSettings_AreRejected()
    {
        AssertRejected(Specs.WordCount.Replace("\"name\": \"wc\",", "\"name\": \"wc\", \"settings\": { \"shufflePartitions\": 0 },", StringComparison.Ordinal),
            "'shufflePartitions' must be a whole number from 1 to 100000, not 0");
        AssertRejected(Specs.WordCount.Replace("\"name\": \"wc\",", "\"name\": \"wc\", \"settings\": { \"partitions\": 4 },", StringComparison.Ordinal),
            "Unknown setting 'partitions'");
    }

    private static JobSpec Parse(string json) => SpecParser.Parse(Encoding.UTF8.GetBytes(json));

    private static void AssertRejected(string json, string expected)
    {
        var e = Assert.ThrowsExactly<SpecException>(() => Parse(json));
        Assert.IsTrue(e.Errors.Any(m => m.Contains(expected, StringComparison.Ordinal)), $"expected a problem containing \"{expected}\", got: {e.Message}");
    }
}

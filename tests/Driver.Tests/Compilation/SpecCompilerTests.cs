using System.Text;
using Spark.Serverless.Driver.Compilation;
using Spark.Serverless.Driver.Spec;
using Spark.Serverless.Loading;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Driver.Tests.Compilation;

[TestClass]
public sealed class SpecCompilerTests
{
    [TestMethod]
    public void Compile_WordCount_BuildsTheExpectedPlan()
    {
        var app = SpecCompiler.Compile(Parse(Specs.WordCount));
        Assert.AreEqual(64, app.Sha256.Length);
        using var loaded = LoadedJob.Load(app.Assembly, app.TypeName, "test");
        // reduceByKey is two nodes: the exchange (map-side combine and shuffle write) and the reduce-side merge.
        CollectionAssert.AreEqual(new[] { "textFile", "flatMap", "map", "reduceByKey", "reduceByKey", "saveAsTextFile" }, loaded.Context.Nodes.Select(n => n.Op).ToArray());
        CollectionAssert.AreEqual(new[] { "lines", "words", "pairs", null, "counts", "step5" }, loaded.Context.Nodes.Select(n => n.Name).ToArray());
        var stages = JobPlanner.CutStages(loaded.Context);
        Assert.AreEqual(2, stages.Count);
        Assert.AreEqual(StageKind.ShuffleMap, stages[0].Kind);
        Assert.AreEqual(3, stages[0].NodeId, "the map stage writes the reduceByKey shuffle");
        CollectionAssert.AreEqual(new[] { 0 }, stages[1].Parents.ToArray());
    }

    [TestMethod]
    public void CutStages_SecondAction_EveryNewStageWaitsForTheFirstAction()
    {
        const string spec = """
            { "steps": [
              { "id": "lines", "op": "textFile", "path": "input/a.txt" },
              { "id": "words", "op": "flatMap", "from": "lines", "fn": "l => l.Split(' ')", "persist": true },
              { "id": "n", "op": "count", "from": "words" },
              { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w, 1L)" },
              { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
              { "id": "all", "op": "collect", "from": "counts" } ] }
            """;
        var app = SpecCompiler.Compile(Parse(spec));
        using var loaded = LoadedJob.Load(app.Assembly, app.TypeName, "test");
        var stages = JobPlanner.CutStages(loaded.Context);
        Assert.AreEqual(3, stages.Count);
        Assert.AreEqual(StageKind.Result, stages[0].Kind, "count runs first");
        Assert.AreEqual(StageKind.ShuffleMap, stages[1].Kind);
        CollectionAssert.AreEqual(new[] { 0 }, stages[1].Parents.ToArray(), "the second action's map stage waits for the first action, so it reads the persisted words");
        CollectionAssert.AreEqual(new[] { 0, 1 }, stages[2].Parents.ToArray());
    }

    [TestMethod]
    public void Csv_MultiLine_IsReadWholeAndSingleLineIsSplittable()
    {
        var app = SpecCompiler.Compile(Parse("""
            { "steps": [
              { "id": "a", "op": "csv", "path": "input/a.csv", "multiLine": true }, { "op": "count", "from": "a" },
              { "id": "b", "op": "csv", "path": "input/b.csv" }, { "op": "count", "from": "b" } ] }
            """));
        using var loaded = LoadedJob.Load(app.Assembly, app.TypeName, "test");
        CollectionAssert.AreEqual(new[] { false, true }, JobPlanner.Sources(loaded.Context).Select(s => s.Source.Splittable).ToArray());
    }

    [TestMethod]
    public void Compile_SameSpecTwice_GivesTheSameAssemblyAndPlanHash()
    {
        var first = SpecCompiler.Compile(Parse(Specs.WordCount));
        var second = SpecCompiler.Compile(Parse(Specs.WordCount));
        Assert.AreEqual(first.Sha256, second.Sha256);
        using var a = LoadedJob.Load(first.Assembly, first.TypeName, "a");
        using var b = LoadedJob.Load(second.Assembly, second.TypeName, "b");
        Assert.AreEqual(JobPlanner.ComputeHash(a.Context), JobPlanner.ComputeHash(b.Context));
    }

    [TestMethod]
    public void Compile_UnknownName_ReportsLineAndColumnWithinTheFn()
    {
        var spec = Specs.WithStep("words", "fn", "\"line => lin.Split(' ')\"");
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        CollectionAssert.Contains(e.Errors.ToList(), "step 'words' (flatMap): fn (1,9): error CS0103: The name 'lin' does not exist in the current context");
    }

    [TestMethod]
    public void Compile_ErrorOnSecondLineOfFn_CountsLinesWithinTheFn()
    {
        var spec = Specs.WithStep("pairs", "fn", "\"w =>\\n  (w.ToLowerInvariant(), 1L, w.Lenght)\"");
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        Assert.IsTrue(e.Errors.Any(m => m.StartsWith("step 'pairs' (map): fn (2,32): error CS1061:", StringComparison.Ordinal) && m.Contains("'Lenght'", StringComparison.Ordinal)), e.Message);
    }

    [TestMethod]
    public void Compile_SyntaxError_ReportsPositionWithinTheFn()
    {
        var spec = Specs.WithStep("counts", "fn", "\"(a, b) => a +\"");
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        Assert.IsTrue(e.Errors.Any(m => m.StartsWith("step 'counts' (reduceByKey): fn (1,14): error CS1733", StringComparison.Ordinal)), e.Message);
    }

    [TestMethod]
    public void Compile_FnThatBreaksOutOfItsExpression_IsRejected()
    {
        var spec = Specs.WithStep("pairs", "fn", "\"w => (w, 1L)); } public void Evil() { (\"");
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        Assert.IsTrue(e.Errors.All(m => m.StartsWith("step 'pairs' (map): fn (1,", StringComparison.Ordinal)), e.Message);
    }

    [TestMethod]
    public void Compile_ReduceByKeyOnNonPairs_IsRejectedWithTheCompilersWords()
    {
        var spec = Specs.WordCount.Replace("\"from\": \"pairs\"", "\"from\": \"words\"", StringComparison.Ordinal);
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        Assert.IsTrue(e.Errors.Any(m => m.StartsWith("step 'counts' (reduceByKey): error CS", StringComparison.Ordinal) && m.Contains("ReduceByKey", StringComparison.Ordinal)), e.Message);
    }

    [TestMethod]
    public void Compile_UnknownUsing_IsReportedAgainstUsings()
    {
        var spec = Specs.WordCount.Replace("\"name\": \"wc\",", "\"name\": \"wc\", \"usings\": [\"No.Such.Namespace\"],", StringComparison.Ordinal);
        var e = Assert.ThrowsExactly<SpecException>(() => SpecCompiler.Compile(Parse(spec)));
        Assert.IsTrue(e.Errors.Any(m => m.StartsWith("usings: error CS0246", StringComparison.Ordinal)), e.Message);
    }

    private static JobSpec Parse(string json) => SpecParser.Parse(Encoding.UTF8.GetBytes(json));
}

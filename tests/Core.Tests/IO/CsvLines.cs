namespace Spark.Serverless.Tests.IO;

/// <summary>Awkward CSV lines every line parser must agree on: empty fields, quotes in odd places, unterminated quotes.</summary>
internal static class CsvLines
{
    /// <summary>One line per test case.</summary>
    public static IEnumerable<object[]> Awkward =>
    [
        ["plain,fields,,end,"],
        ["\"quoted\",x"],
        ["a,\"b,c\",\"say \"\"hi\"\"\","],
        ["mid\"quote,\"after\"tail,x"],
        ["\"unterminated,still one field"],
        ["\"\""],
        ["\"\",\"\","],
        [",,,"],
        ["1,2,\"the \"\"bold\"\" ones\""],
        ["\"a\"\"\",b"],
        ["x,\"y\"\""],
        ["\"\"\"\"\"\",\"q\" after,"],
    ];
}

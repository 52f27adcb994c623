namespace Spark.Serverless.TestJobs.Helpers;

/// <summary>Tokenizing that a test job takes from this separate assembly, so the job only runs if its dependency was shipped too.</summary>
public static class Words
{
    private static readonly char[] Separators = [' ', '\t', ',', '.', '!', '?', ';', ':'];

    /// <summary>The lower-cased words of a line.</summary>
    public static IEnumerable<string> Of(string line) =>
        line.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant());
}

namespace Spark.Serverless.Examples;

/// <summary>The DESIGN's word count, as a compiled application.</summary>
public sealed class WordCount : ISparkJob
{
    /// <inheritdoc />
    public void Build(JobContext context) =>
        context.TextFile("input/books/*.txt")
           .FlatMap(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
           .Map(w => (w.ToLowerInvariant(), 1L))
           .ReduceByKey((a, b) => a + b)
           .SaveAsTextFile("output/wordcount-csharp", overwrite: true);
}

/// <summary>The ten most frequent words of a word count's output, read back as a dataset.</summary>
public sealed class TopWords : ISparkJob
{
    /// <inheritdoc />
    public void Build(JobContext context) =>
        context.TextFile("output/wordcount")
            .Map(line => line.Split('\t'))
            .Map(fields => (Word: fields[0], Count: long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture)))
            .SortBy(pair => pair.Count, ascending: false, numPartitions: 2)
            .Take(10, "top10");
}

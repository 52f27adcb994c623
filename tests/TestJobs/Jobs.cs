using Spark.Serverless.TestJobs.Helpers;

namespace Spark.Serverless.TestJobs;

/// <summary>Word count over <c>input/app/*.txt</c> into <c>output/app-wordcount</c>, tokenizing with the helper assembly, counting lines in an accumulator.</summary>
public sealed class HelperWordCount : ISparkJob
{
    /// <inheritdoc />
    public void Build(JobContext context)
    {
        var lines = context.LongAccumulator("lines");
        context.TextFile("input/app/*.txt")
            .FlatMap(line =>
            {
                lines.Add(1);
                return Words.Of(line);
            })
            .Map(w => (w, 1L))
            .ReduceByKey((a, b) => a + b)
            .SaveAsTextFile("output/app-wordcount", overwrite: true, name: "counts");
    }
}

/// <summary>A job whose plan differs every time it is built (a random name), which executors must refuse to run.</summary>
public sealed class NondeterministicJob : ISparkJob
{
    /// <inheritdoc />
    public void Build(JobContext context) =>
        context.Range(0, 100).WithName("range-" + Guid.NewGuid().ToString("N")).Count("n");
}

namespace Spark.Serverless;

/// <summary>
/// A Spark application: builds its datasets and actions on a <see cref="JobContext"/>.
/// The driver and every executor call <see cref="Build"/> on their own copy of the assembly and must get the
/// same plan, so <see cref="Build"/> must be deterministic: no clocks, no randomness, no reading of inputs.
/// </summary>
public interface ISparkJob
{
    /// <summary>Declares the job's sources, transformations and actions.</summary>
    void Build(JobContext context);
}

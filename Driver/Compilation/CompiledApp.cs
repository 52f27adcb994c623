namespace Spark.Serverless.Driver.Compilation;

/// <summary>A compiled application: the assembly's bytes, their SHA-256 and the job type to build.</summary>
/// <param name="Assembly">The assembly.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of <paramref name="Assembly"/>: its blob name.</param>
/// <param name="TypeName">The <see cref="ISparkJob"/> type's full name.</param>
public sealed record CompiledApp(byte[] Assembly, string Sha256, string TypeName);

namespace Spark.Serverless.Execution;

/// <summary>What a task attempt wrote, before it commits.</summary>
/// <param name="Files">The attempt-scoped blobs it wrote in the platform container.</param>
/// <param name="PartitionOffsets">For a shuffle-map task, the byte offset of each reduce partition's block (R + 1 values).</param>
/// <param name="Records">Records written.</param>
/// <param name="Bytes">Bytes written.</param>
public sealed record TaskOutput(IReadOnlyList<string> Files, long[]? PartitionOffsets, long Records, long Bytes);

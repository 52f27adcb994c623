namespace Spark.Serverless.Shuffle;

/// <summary>
/// <c>jobs/{id}/stages/{s}/map-outputs.json</c>: the committed output of every map task of a shuffle-map stage,
/// gathered by the driver from the commit markers when the stage finishes (Spark's MapOutputTracker).
/// </summary>
public sealed record MapOutputs
{
    /// <summary>The map stage.</summary>
    public required int StageId { get; init; }

    /// <summary>The number of reduce partitions.</summary>
    public required int NumReducePartitions { get; init; }

    /// <summary>One entry per map partition, in partition order.</summary>
    public required IReadOnlyList<MapOutput> Outputs { get; init; }
}

/// <summary>One map task's committed shuffle file.</summary>
/// <param name="MapPartition">The map partition.</param>
/// <param name="AttemptId">The attempt that committed it.</param>
/// <param name="DataBlob">The data file in the platform container.</param>
/// <param name="Offsets">The byte offset of every reduce partition's block (R + 1 values).</param>
public sealed record MapOutput(int MapPartition, string AttemptId, string DataBlob, long[] Offsets);

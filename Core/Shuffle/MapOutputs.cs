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
/// <param name="Records">
/// The records the map task wrote to the file; 0 when not known (map outputs saved before it was kept).
/// </param>
public sealed record MapOutput(int MapPartition, string AttemptId, string DataBlob, long[] Offsets, long Records = 0)
{
    /// <summary>
    /// About how many records the block of <paramref name="reducePartition"/> holds: the task's records in the share
    /// of its bytes the block has (compressed bytes, so records of one shape spread evenly); 0 when not known.
    /// </summary>
    public long EstimatedRecords(int reducePartition)
    {
        long total = Offsets[^1];
        if (total == 0 || Records == 0) return 0;
        return (long)Math.Ceiling((double)Records * (Offsets[reducePartition + 1] - Offsets[reducePartition]) / total);
    }
}

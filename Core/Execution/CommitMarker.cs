namespace Spark.Serverless.Execution;

/// <summary>
/// The content of <c>jobs/{id}/commits/{stage}/{partition}</c>: which attempt won the task and what it wrote.
/// Created once (If-None-Match:*): the first committer wins, and the marker is the truth about the task's output.
/// </summary>
public sealed record CommitMarker
{
    /// <summary>The winning attempt's id (unique per execution).</summary>
    public required string AttemptId { get; init; }

    /// <summary>The winning attempt's number from its task message.</summary>
    public required int Attempt { get; init; }

    /// <summary>The stage attempt it belonged to.</summary>
    public required int StageAttempt { get; init; }

    /// <summary>The executor that ran it.</summary>
    public required string ExecutorId { get; init; }

    /// <summary>When it committed.</summary>
    public required DateTimeOffset CommittedAt { get; init; }

    /// <summary>The blobs it wrote (platform container).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>For a shuffle-map task, the byte offset of each reduce partition's block in the data file.</summary>
    public long[]? PartitionOffsets { get; init; }

    /// <summary>Records written.</summary>
    public long Records { get; init; }

    /// <summary>Bytes written.</summary>
    public long Bytes { get; init; }

    /// <summary>The attempt's accumulator values.</summary>
    public IReadOnlyList<Messaging.AccumulatorUpdate>? Accumulators { get; init; }
}

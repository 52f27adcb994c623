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

    /// <summary>
    /// The metadata key that carries the marker's JSON (base64) beside its content, written in the same create. One
    /// listing of a stage's markers with their metadata then replaces a read per task: the commit of a 2,000-task job
    /// took 3.0-3.3 s reading them one by one, and 0.6-0.8 s with the listing.
    /// </summary>
    public const string MetadataKey = "marker";

    /// <summary>Markers whose JSON is longer than this (a map task with very many reduce partitions) are read from their content.</summary>
    public const int MaxMetadataJsonBytes = 4096;

    /// <summary>The metadata to create the marker with: its JSON, unless too long to fit Azure's 8 KB of metadata.</summary>
    public static Dictionary<string, string> Metadata(BinaryData json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.ToMemory().Length > MaxMetadataJsonBytes ? [] : new() { [MetadataKey] = Convert.ToBase64String(json.ToMemory().Span) };
    }

    /// <summary>The marker a listing's metadata carries, or null when it carries none.</summary>
    public static CommitMarker? FromMetadata(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(MetadataKey, out var encoded)
            ? SparkJson.FromBinary<CommitMarker>(new BinaryData(Convert.FromBase64String(encoded)))
            : null;
}

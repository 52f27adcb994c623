namespace Spark.Serverless.IO;

/// <summary>
/// <c>persist/{name}/_SUCCESS</c> in the platform container: a named persisted dataset that later jobs can read with
/// <c>ReadPersisted</c>. Written by the job commit once every partition is stored.
/// </summary>
public sealed record PersistedManifest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The job that persisted it.</summary>
    public required string JobId { get; init; }

    /// <summary>The folder of its <c>part-NNNNN</c> blobs.</summary>
    public required string Folder { get; init; }

    /// <summary>How many partitions.</summary>
    public required int Partitions { get; init; }

    /// <summary>The record type's full name.</summary>
    public required string ElementType { get; init; }

    /// <summary>The record type as C# source.</summary>
    public required string CSharpType { get; init; }

    /// <summary>When it was committed.</summary>
    public required DateTimeOffset CommittedAt { get; init; }
}

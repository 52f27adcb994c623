namespace Spark.Serverless.IO;

/// <summary>
/// The <c>_SUCCESS</c> file of a saved dataset: written last by the job commit, so a folder with it holds a
/// complete dataset, and readers take exactly the parts it lists.
/// </summary>
public sealed record DatasetManifest
{
    /// <summary>The job that wrote the dataset.</summary>
    public required string JobId { get; init; }

    /// <summary>The job's name.</summary>
    public required string JobName { get; init; }

    /// <summary>The dataset's format (<c>text</c>).</summary>
    public required string Format { get; init; }

    /// <summary>When the job commit finished.</summary>
    public required DateTimeOffset CommittedAt { get; init; }

    /// <summary>The part files, in partition order.</summary>
    public required IReadOnlyList<DatasetPart> Parts { get; init; }

    /// <summary>Records in all parts.</summary>
    public long Records => Parts.Sum(p => p.Records);

    /// <summary>Bytes in all parts.</summary>
    public long Bytes => Parts.Sum(p => p.Bytes);
}

/// <summary>One part file of a dataset.</summary>
/// <param name="Name">The part's blob name relative to the dataset folder (<c>part-00000</c>).</param>
/// <param name="Records">Records in the part.</param>
/// <param name="Bytes">Bytes in the part.</param>
public sealed record DatasetPart(string Name, long Records, long Bytes);

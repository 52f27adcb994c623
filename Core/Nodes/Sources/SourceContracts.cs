using Spark.Serverless.IO;

namespace Spark.Serverless.Nodes;

/// <summary>A node that reads input blobs, whose splits the driver plans by listing them.</summary>
internal interface ISourceNode
{
    /// <summary>The path, folder or glob of the input blobs.</summary>
    BlobPath Path { get; }

    /// <summary>The fewest partitions wanted; 0 for no preference.</summary>
    int MinPartitions { get; }

    /// <summary>Whether a blob may be cut into several splits (false for records that may span lines).</summary>
    bool Splittable => true;
}

/// <summary>A node that reads a dataset persisted by an earlier job, by name.</summary>
internal interface IPersistedSource
{
    /// <summary>The name it was persisted under.</summary>
    string PersistName { get; }

    /// <summary>The record type the job expects.</summary>
    Type ElementType { get; }
}

/// <summary>A node whose partitions are kept after they are computed.</summary>
internal interface IPersistNode
{
    /// <summary>The name later jobs read it by, or null for this job only.</summary>
    string? PersistName { get; }

    /// <summary>The record type.</summary>
    Type ElementType { get; }
}

/// <summary>The stage-producing node behind a dataset broadcast.</summary>
internal interface IBroadcastNode;

namespace Spark.Serverless.Execution;

/// <summary>A shuffle block was missing or corrupt: the map output it came from must be recomputed.</summary>
public sealed class FetchFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FetchFailedException(int shuffleStageId, int mapPartition, string message, Exception? inner = null)
        : base(message, inner)
    {
        ShuffleStageId = shuffleStageId;
        MapPartition = mapPartition;
    }

    /// <summary>The map stage whose output could not be read.</summary>
    public int ShuffleStageId { get; }

    /// <summary>The map partition whose output could not be read.</summary>
    public int MapPartition { get; }
}

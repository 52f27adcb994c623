using Azure;
using Spark.Serverless.Execution;
using Spark.Serverless.Serialization;
using Spark.Serverless.Shuffle;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Nodes;

/// <summary>
/// How persisted partitions are stored: one blob per partition (<c>{folder}/part-NNNNN</c>) in the shuffle block
/// format (DEFLATE frames of serialized records), created once, so the first complete computation wins.
/// </summary>
internal static class PersistedData
{
    private const int FrameBytes = 1 << 20;

    /// <summary>The blob of one persisted partition.</summary>
    public static string PartBlob(string folder, int partition) => $"{folder}/{StorageLayout.PartName(partition)}";

    /// <summary>The records of a persisted partition, or null when it was never completed.</summary>
    public static IEnumerable<T>? Read<T>(TaskContext context, string folder, int partition)
    {
        string name = PartBlob(folder, partition);
        long length;
        try
        {
            length = context.Storage.Container.GetBlobClient(name).GetProperties(cancellationToken: context.CancellationToken).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        finally
        {
            context.CountRequest();
        }
        return ShuffleReader.ReadBlock<T>(context, name, 0, length);
    }

    /// <summary>Passes the records through while writing them; the part becomes visible only if they are all read.</summary>
    public static IEnumerable<T> Tee<T>(TaskContext context, IEnumerable<T> records, string folder, int partition)
    {
        var codec = RecordCodec.For<T>();
        using var blob = context.CreateBlob(context.Storage.Options.Container, PartBlob(folder, partition), createOnly: true);
        using var buffer = new RecordWriter(null, 1 << 16);
        // Persisted parts are frames like a shuffle block's, so records that barely shrink are stored, as there.
        var compression = new FrameCompression();
        foreach (var record in records)
        {
            codec.Write(buffer, record);
            if (buffer.BytesWritten >= FrameBytes)
            {
                compression.WriteFrame(buffer.WrittenSpan, blob);
                buffer.Reset();
            }
            yield return record;
        }
        if (buffer.BytesWritten > 0) compression.WriteFrame(buffer.WrittenSpan, blob);
        // False means another attempt persisted the same partition first; its copy serves as well.
        blob.Complete();
    }
}

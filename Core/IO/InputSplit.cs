namespace Spark.Serverless.IO;

/// <summary>A byte range of one input blob: what a source task reads.</summary>
/// <param name="Container">The blob's container.</param>
/// <param name="Blob">The blob's name.</param>
/// <param name="Start">The first byte of the range.</param>
/// <param name="Length">The number of bytes in the range; a line that starts inside it is read to its end, past the range.</param>
/// <param name="BlobLength">The blob's whole length when it was listed.</param>
/// <param name="ETag">The blob's ETag when it was listed; reads of a blob changed since fail rather than mix versions.</param>
public sealed record InputSplit(string Container, string Blob, long Start, long Length, long BlobLength, string? ETag = null)
{
    /// <summary>The first byte after the range.</summary>
    public long End => Start + Length;
}

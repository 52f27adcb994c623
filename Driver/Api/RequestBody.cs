using System.Buffers;

namespace Spark.Serverless.Driver.Api;

/// <summary>Reads request bodies up to a limit, so an oversized body is answered with 413 and a message instead of being buffered.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit, 64 << 10));
        while (true)
        {
            var memory = buffer.GetMemory(16 << 10);
            int read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0) return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) return null;
        }
    }
}

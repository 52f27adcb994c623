using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Spark.Serverless.Driver.Security;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Api;

/// <summary>A blob in a listing of <c>GET /api/files</c>.</summary>
/// <param name="Path">Its path, <c>container/name</c>.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record FileView(string Path, long Bytes, DateTimeOffset? LastModified);

/// <summary>
/// The file API, which the CLI's <c>upload</c> and <c>download</c> use, so a user needs the driver's URL and a key,
/// never the storage account's connection string. Every path is checked: <c>container/name</c>, no <c>..</c>, no
/// leading <c>/</c>, no backslash, and a container <see cref="ContainerPolicy"/> allows.
/// </summary>
public static class FileEndpoints
{
    private const int MaxListed = 10_000;

    /// <summary>Maps <c>GET /api/files?path=</c>, <c>GET /api/files/{path}</c> and <c>PUT /api/files/{path}</c>.</summary>
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder routes)
    {
        var files = routes.MapGroup("/api/files").WithTags("Files");
        files.MapGet("", ListAsync).WithSummary("The blobs under a path (container/prefix)").Produces<IReadOnlyList<FileView>>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);
        files.MapGet("/{**path}", DownloadAsync).WithSummary("A blob's content").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status404NotFound);
        files.MapPut("/{**path}", UploadAsync).WithSummary("Write a blob (replacing it) from the request body, whatever its content type")
            .Produces<FileView>(StatusCodes.Status201Created).Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge);
        return routes;
    }

    private static async Task<IResult> ListAsync(string? path, ContainerPolicy policy, SparkStorage storage, CancellationToken cancellationToken)
    {
        if (!policy.TryUse(path, out var parsed, out string? error)) return BadPath(error!);
        var container = storage.GetContainer(parsed.Container);
        var found = new List<FileView>();
        try
        {
            await foreach (var blob in container.GetBlobsAsync(prefix: parsed.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // A prefix lists a folder or names one blob; "input/bo" does not list "input/books/".
                if (blob.Name != parsed.Name && !blob.Name.StartsWith(parsed.Name + "/", StringComparison.Ordinal)) continue;
                found.Add(new FileView($"{parsed.Container}/{blob.Name}", blob.Properties.ContentLength ?? 0, blob.Properties.LastModified));
                if (found.Count > MaxListed)
                    return Results.BadRequest(new ErrorResponse($"More than {MaxListed} blobs under '{path}'; list a narrower path."));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such container: nothing under the path.
        }
        return Results.Json(found, SparkJson.Options);
    }

    private static async Task<IResult> DownloadAsync(string path, ContainerPolicy policy, SparkStorage storage, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!policy.TryUse(path, out var parsed, out string? error)) return BadPath(error!);
        try
        {
            var blob = await storage.GetContainer(parsed.Container).GetBlobClient(parsed.Name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            response.ContentLength = blob.Value.Details.ContentLength;
            return Results.Stream(blob.Value.Content, "application/octet-stream");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return Results.Json(new ErrorResponse($"There is no blob '{parsed}'."), statusCode: StatusCodes.Status404NotFound);
        }
    }

    private static async Task<IResult> UploadAsync(string path, HttpRequest request, ContainerPolicy policy, SparkStorage storage, IOptions<DriverOptions> options, CancellationToken cancellationToken)
    {
        if (!policy.TryUse(path, out var parsed, out string? error)) return BadPath(error!);
        if (parsed.IsGlob) return BadPath($"path '{path}' holds glob characters; name one blob");
        long limit = options.Value.MaxUploadBytes;
        if (request.ContentLength > limit) return TooLarge(limit);
        var container = storage.GetContainer(parsed.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var bounded = new LimitedStream(request.Body, limit);
        try
        {
            await container.GetBlobClient(parsed.Name).UploadAsync(bounded, new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LimitedStream.TooLongException || e.InnerException is LimitedStream.TooLongException)
        {
            // The upload never committed (its blocks stay uncommitted), so whatever the blob held is intact.
            return TooLarge(limit);
        }
        return Results.Json(new FileView(parsed.ToString(), bounded.BytesRead, DateTimeOffset.UtcNow), SparkJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult BadPath(string error) => Results.BadRequest(new ErrorResponse(char.ToUpperInvariant(error[0]) + error[1..] + "."));

    private static IResult TooLarge(long limit) =>
        Results.Json(new ErrorResponse($"The upload is larger than the limit of {limit} bytes (Driver:MaxUploadBytes)."), statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>A request body that throws once it passes the limit (a chunked upload has no length to check first).</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

        private int Count(int n)
        {
            BytesRead += n;
            return BytesRead > limit ? throw new TooLongException() : n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public sealed class TooLongException() : IOException("The upload passed its size limit.");
    }
}

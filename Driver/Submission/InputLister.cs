using Azure;
using Spark.Serverless.IO;
using Spark.Serverless.Storage;
using static Spark.Serverless.IO.SplitPlanner;

namespace Spark.Serverless.Driver.Submission;

/// <summary>
/// Finds the blobs a source path names: one blob, a glob, or a folder. A folder that holds a committed dataset
/// (a <c>_SUCCESS</c> manifest) yields exactly the manifest's parts; hidden names (<c>_</c>, <c>.</c>) are skipped.
/// </summary>
public sealed class InputLister(SparkStorage storage)
{
    /// <summary>The blobs, sorted by name, or the reason there are none.</summary>
    public async Task<(IReadOnlyList<ListedBlob> Blobs, string? Error)> ListAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var container = storage.GetContainer(path.Container);
        if (!await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
            return ([], $"container '{path.Container}' does not exist");

        var blobs = new List<ListedBlob>();
        if (path.IsGlob)
        {
            var pattern = path.ToRegex();
            string literal = path.LiteralPrefix;
            int folderEnd = literal.LastIndexOf('/') + 1;
            await foreach (var item in container.GetBlobsAsync(prefix: literal, cancellationToken: cancellationToken).ConfigureAwait(false))
                if (pattern.IsMatch(item.Name) && !BlobPath.IsHidden(item.Name[folderEnd..]))
                    blobs.Add(new ListedBlob(path.Container, item.Name, item.Properties.ContentLength ?? 0, item.Properties.ETag?.ToString()));
        }
        else
        {
            try
            {
                var properties = await container.GetBlobClient(path.Name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return ([new ListedBlob(path.Container, path.Name, properties.Value.ContentLength, properties.Value.ETag.ToString())], null);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Not a blob: a folder.
            }
            var manifest = await DatasetFolder.TryReadManifestAsync(container, path.Name, cancellationToken).ConfigureAwait(false);
            var committed = manifest?.Parts.Select(p => $"{path.Name}/{p.Name}").ToHashSet(StringComparer.Ordinal);
            string prefix = path.Name + "/";
            await foreach (var item in container.GetBlobsAsync(prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                bool wanted = committed is null ? !BlobPath.IsHidden(item.Name[prefix.Length..]) : committed.Contains(item.Name);
                if (wanted) blobs.Add(new ListedBlob(path.Container, item.Name, item.Properties.ContentLength ?? 0, item.Properties.ETag?.ToString()));
            }
        }
        if (blobs.Count == 0)
            return ([], path.IsGlob ? "no blobs match the glob" : "no blob or folder by that name");
        blobs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (blobs, null);
    }
}

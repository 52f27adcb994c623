using Azure;
using Spark.Serverless.IO;
using Spark.Serverless.Storage;
using static Spark.Serverless.IO.SplitPlanner;

namespace Spark.Serverless.Driver.Submission;

/// <summary>
/// Finds the blobs a source path names: one blob, a glob, or a folder. Hidden names (<c>_</c>, <c>.</c>) are skipped.
/// Saved datasets are read the way their commit protocol promises: a folder with a <c>_SUCCESS</c> manifest yields
/// exactly the manifest's parts, and a folder still marked <c>_COMMITTING</c> (a commit in progress, or interrupted
/// and not yet finished by another driver) yields nothing, so no reader sees an uncommitted job's parts.
/// </summary>
public sealed class InputLister(SparkStorage storage)
{
    /// <summary>The blobs, sorted by name, or the reason there are none.</summary>
    public async Task<(IReadOnlyList<ListedBlob> Blobs, string? Error)> ListAsync(BlobPath path, CancellationToken cancellationToken)
    {
        var container = storage.GetContainer(path.Container);
        if (!await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
            return ([], $"container '{path.Container}' does not exist");

        if (!path.IsGlob)
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
        }

        // List from the folder the literal part ends in, so the folder's markers (_SUCCESS, _COMMITTING) are seen too.
        string literal = path.IsGlob ? path.LiteralPrefix : path.Name + "/";
        string listPrefix = literal[..(literal.LastIndexOf('/') + 1)];
        var pattern = path.IsGlob ? path.ToRegex() : null;
        var all = new List<ListedBlob>();
        await foreach (var item in container.GetBlobsAsync(prefix: listPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            all.Add(new ListedBlob(path.Container, item.Name, item.Properties.ContentLength ?? 0, item.Properties.ETag?.ToString()));
        var names = all.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);

        var blobs = new List<ListedBlob>();
        var committed = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        bool skippedUncommitted = false;
        foreach (var blob in all)
        {
            bool wanted = pattern is not null ? pattern.IsMatch(blob.Name) : blob.Name.StartsWith(literal, StringComparison.Ordinal);
            if (!wanted || BlobPath.IsHidden(blob.Name[listPrefix.Length..])) continue;
            string folder = blob.Name[..(blob.Name.LastIndexOf('/') + 1)];
            if (!committed.TryGetValue(folder, out var parts))
            {
                parts = await CommittedPartsAsync(container, folder, names, cancellationToken).ConfigureAwait(false);
                committed[folder] = parts;
            }
            if (parts is not null && !parts.Contains(blob.Name))
            {
                skippedUncommitted = true;
                continue;
            }
            blobs.Add(blob);
        }
        if (blobs.Count == 0)
            return ([], skippedUncommitted ? "the dataset there is still being committed (or its commit was interrupted): no committed data yet"
                : path.IsGlob ? "no blobs match the glob" : "no blob or folder by that name");
        blobs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (blobs, null);
    }

    /// <summary>The blobs a folder's manifest lists; none while it is being committed; null when it is a plain folder.</summary>
    private static async Task<HashSet<string>?> CommittedPartsAsync(Azure.Storage.Blobs.BlobContainerClient container, string folder, HashSet<string> names, CancellationToken cancellationToken)
    {
        if (names.Contains(folder + StorageLayout.SuccessMarker))
        {
            var manifest = await DatasetFolder.TryReadManifestAsync(container, folder.TrimEnd('/'), cancellationToken).ConfigureAwait(false);
            return manifest?.Parts.Select(p => folder + p.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        }
        return names.Contains(folder + DatasetFolder.CommittingMarker) ? [] : null;
    }
}

using Azure;
using Azure.Storage.Blobs;
using Spark.Serverless.Storage;

namespace Spark.Serverless.IO;

/// <summary>Reads the manifest of a saved dataset's folder.</summary>
public static class DatasetFolder
{
    /// <summary>The blob of a folder's <c>_SUCCESS</c> manifest.</summary>
    public static BlobClient ManifestBlob(BlobContainerClient container, string folder) =>
        container.GetBlobClient($"{folder.TrimEnd('/')}/{StorageLayout.SuccessMarker}");

    /// <summary>The marker a job commit keeps in a folder while it promotes parts into it.</summary>
    public const string CommittingMarker = "_COMMITTING";

    /// <summary>The blob of a folder's <c>_COMMITTING</c> marker.</summary>
    public static BlobClient CommittingBlob(BlobContainerClient container, string folder) =>
        container.GetBlobClient($"{folder.TrimEnd('/')}/{CommittingMarker}");

    /// <summary>The folder's manifest, or null when the folder holds no committed dataset.</summary>
    public static async Task<DatasetManifest?> TryReadManifestAsync(BlobContainerClient container, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        try
        {
            var content = await ManifestBlob(container, folder).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return SparkJson.FromBinary<DatasetManifest>(content.Value.Content);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}

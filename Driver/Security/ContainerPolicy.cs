using Microsoft.Extensions.Options;
using Spark.Serverless.IO;
using Spark.Serverless.Storage;

namespace Spark.Serverless.Driver.Security;

/// <summary>
/// Which blob containers users may name, in job paths and in the file API: those in <c>Driver:AllowedContainers</c>
/// (every one when empty), and never the platform's own container, which holds every job's state.
/// </summary>
public sealed class ContainerPolicy(IOptions<DriverOptions> options, SparkOptions storage)
{
    private readonly HashSet<string> _allowed = [.. DriverOptions.ContainerList(options.Value.AllowedContainers)];

    /// <summary>Why a path may not be used, or null when it may.</summary>
    public string? Refusal(BlobPath path)
    {
        if (path.Container == storage.Container)
            return $"path '{path}' names the platform's own container '{storage.Container}', which jobs and the file API may not touch";
        if (_allowed.Count > 0 && !_allowed.Contains(path.Container))
            return $"path '{path}' names container '{path.Container}', which is not allowed here (Driver:AllowedContainers: {string.Join(", ", _allowed.Order(StringComparer.Ordinal))})";
        return null;
    }

    /// <summary>Parses a user's path and applies the policy; the error names the problem.</summary>
    public bool TryUse(string? text, out BlobPath path, out string? error)
    {
        path = default;
        if (!BlobPath.TryParse(text, out var parsed, out error)) return false;
        path = parsed.Value;
        error = Refusal(path);
        return error is null;
    }
}

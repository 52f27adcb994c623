using System.Globalization;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Spark.Serverless.Bench.Baselines;

namespace Spark.Serverless.Bench.Harness;

/// <summary>Reads the platform's outputs back from storage and compares them with the baselines' answers.</summary>
internal static class ResultCheck
{
    /// <summary>The lines of every part under an output folder, parts in order.</summary>
    public static async Task<List<string>> ReadLinesAsync(BlobContainerClient container, string prefix)
    {
        var lines = new List<string>();
        await foreach (var blob in Parts(container, prefix))
        {
            var content = await container.GetBlobClient(blob).DownloadContentAsync();
            lines.AddRange(content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        return lines;
    }

    /// <summary>The SHA-256 of the parts under an output folder concatenated in order: equal to a sorted file's when the sort is right.</summary>
    public static async Task<string> HashAsync(BlobContainerClient container, string prefix)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        await foreach (var blob in Parts(container, prefix))
        {
            await using var stream = await container.GetBlobClient(blob).OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(false) { BufferSize = 8 << 20 });
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async IAsyncEnumerable<string> Parts(BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(prefix: prefix.TrimEnd('/') + "/"))
            if (Path.GetFileName(item.Name).StartsWith("part-", StringComparison.Ordinal)) names.Add(item.Name);
        foreach (var name in names.Order(StringComparer.Ordinal)) yield return name;
    }

    /// <summary>The word count's summary from its <c>word TAB count</c> output lines.</summary>
    public static WordCounts WordCounts(IEnumerable<string> lines) =>
        Baselines.WordCounts.From(lines.Select(l => l.Split('\t')).Select(f => KeyValuePair.Create(f[0], long.Parse(f[1], CultureInfo.InvariantCulture))));

    /// <summary>
    /// Whether two sets of <c>|</c>-separated result lines agree: text fields exactly, numbers to a cent or ten
    /// significant digits (sums of doubles in a different order differ in their last bits).
    /// </summary>
    public static bool SameRows(IEnumerable<string> a, IEnumerable<string> b)
    {
        var left = a.Order(StringComparer.Ordinal).ToList();
        var right = b.Order(StringComparer.Ordinal).ToList();
        if (left.Count != right.Count) return false;
        for (int i = 0; i < left.Count; i++)
        {
            var x = left[i].Split('|');
            var y = right[i].Split('|');
            if (x.Length != y.Length) return false;
            for (int f = 0; f < x.Length; f++)
            {
                if (x[f] == y[f]) continue;
                if (!double.TryParse(x[f], CultureInfo.InvariantCulture, out double u) || !double.TryParse(y[f], CultureInfo.InvariantCulture, out double v)) return false;
                // A cent (the last printed digit may round either way), or ten significant digits for large sums.
                if (Math.Abs(u - v) > Math.Max(0.011, 1e-10 * Math.Max(Math.Abs(u), Math.Abs(v)))) return false;
            }
        }
        return true;
    }
}

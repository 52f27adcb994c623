using System.Globalization;

namespace Spark.Serverless.Bench.Harness;

/// <summary>Parses sizes such as <c>1GB</c>, <c>256MB</c>, <c>64KB</c> or a plain byte count (decimal units, as disks count).</summary>
internal static class ByteSize
{
    /// <summary>Parses <paramref name="text"/>; returns null on success, or what is wrong with it.</summary>
    public static string? TryParse(string text, out long bytes)
    {
        bytes = 0;
        string t = text.Trim().ToUpperInvariant();
        long unit = t.EndsWith("GB", StringComparison.Ordinal) ? 1_000_000_000 : t.EndsWith("MB", StringComparison.Ordinal) ? 1_000_000 : t.EndsWith("KB", StringComparison.Ordinal) ? 1_000 : 1;
        if (unit > 1) t = t[..^2];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0)
            return $"--size '{text}' is not a size such as 1GB, 256MB or 100000000";
        bytes = (long)(value * unit);
        return bytes < 1_000_000 ? $"--size '{text}' is below the least useful size, 1MB" : null;
    }
}

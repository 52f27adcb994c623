using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Spark.Serverless.IO;

/// <summary>
/// A dataset path in <c>container/prefix-or-glob</c> form: the first segment names the blob container,
/// the rest a blob name, a folder, or a glob (<c>*</c> within a segment, <c>**</c> across segments, <c>?</c>).
/// </summary>
public readonly record struct BlobPath
{
    private static readonly SearchValues<char> GlobChars = SearchValues.Create("*?[");

    private BlobPath(string container, string name)
    {
        Container = container;
        Name = name;
    }

    /// <summary>The blob container.</summary>
    public string Container { get; }

    /// <summary>The blob name, folder or glob inside the container.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Name"/> holds glob characters.</summary>
    public bool IsGlob => Name.AsSpan().IndexOfAny(GlobChars) >= 0;

    /// <summary>The part of <see cref="Name"/> before its first glob character: what to list by.</summary>
    public string LiteralPrefix
    {
        get
        {
            int i = Name.AsSpan().IndexOfAny(GlobChars);
            return i < 0 ? Name : Name[..i];
        }
    }

    /// <summary>Creates a path from a container and a blob name that are already known to be valid.</summary>
    public static BlobPath Of(string container, string name) => new(container, name);

    /// <summary>Parses and validates a path; the error names what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BlobPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "path is empty; expected 'container/prefix'";
            return false;
        }
        if (text.Contains('\\'))
        {
            error = $"path '{text}' contains a backslash; use '/' between segments";
            return false;
        }
        if (text.StartsWith('/'))
        {
            error = $"path '{text}' is absolute; expected 'container/prefix' with no leading '/'";
            return false;
        }
        int slash = text.IndexOf('/');
        if (slash < 0 || slash == text.Length - 1)
        {
            error = $"path '{text}' has no prefix after the container; expected 'container/prefix'";
            return false;
        }
        string container = text[..slash];
        string name = text[(slash + 1)..].TrimEnd('/');
        if (!IsValidContainerName(container))
        {
            error = $"path '{text}': '{container}' is not a valid container name (3-63 lowercase letters, digits and single hyphens)";
            return false;
        }
        foreach (string segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                error = $"path '{text}' has an empty segment ('//')";
                return false;
            }
            if (segment is "." or "..")
            {
                error = $"path '{text}' contains a '{segment}' segment";
                return false;
            }
        }
        if (name.Length > 1024 || name.Any(char.IsControl))
        {
            error = $"path '{text}' is longer than 1024 characters or holds control characters";
            return false;
        }
        path = new BlobPath(container, name);
        error = null;
        return true;
    }

    /// <summary>Parses a path that must be valid.</summary>
    /// <exception cref="FormatException">The path is not in <c>container/prefix</c> form.</exception>
    public static BlobPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path.Value : throw new FormatException(error);

    /// <summary>Azure's container (and queue) naming rule.</summary>
    public static bool IsValidContainerName(string? name)
    {
        if (name is null || name.Length is < 3 or > 63) return false;
        if (!char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0])) return false;
        if (name[^1] == '-') return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-') return false;
            if (c == '-' && name[i - 1] == '-') return false;
        }
        return true;
    }

    /// <summary>A regular expression equivalent to the glob in <see cref="Name"/>, matched against whole blob names.</summary>
    public Regex ToRegex()
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < Name.Length; i++)
        {
            char c = Name[i];
            if (c == '*' && i + 1 < Name.Length && Name[i + 1] == '*')
            {
                sb.Append(".*");
                i++;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[')
            {
                int close = Name.IndexOf(']', i + 1);
                if (close < 0) sb.Append(@"\[");
                else
                {
                    sb.Append('[').Append(Name.AsSpan(i + 1, close - i - 1).ToString().Replace("\\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                }
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>Whether a blob name is hidden from dataset reads: any segment that starts with '_' or '.', as Hadoop hides <c>_SUCCESS</c>.</summary>
    public static bool IsHidden(string blobName)
    {
        foreach (var segment in blobName.Split('/'))
            if (segment.StartsWith('_') || segment.StartsWith('.')) return true;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Container}/{Name}";
}

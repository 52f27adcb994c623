using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Spark.Serverless.IO;

/// <summary>
/// How records become text lines: a tuple is its fields joined by a tab, with nested tuples flattened (a join's
/// <c>(key, (left, right))</c> is three columns); every value is its invariant-culture <c>ToString()</c>; null and a
/// missing <see cref="Optional{T}"/> are the empty string; a list is <c>[a,b,c]</c>.
/// </summary>
public static class TextFormat
{
    /// <summary>Writes one record (without a line end).</summary>
    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is string s)
        {
            writer.Write(s);
            return;
        }
        bool first = true;
        WriteFlattened(writer, value, ref first);
    }

    /// <summary>The text of one record.</summary>
    public static string Format<T>(T value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, value);
        return writer.ToString();
    }

    private static void WriteFlattened(TextWriter writer, object? value, ref bool first)
    {
        if (value is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++) WriteFlattened(writer, tuple[i], ref first);
            return;
        }
        if (!first) writer.Write('\t');
        first = false;
        WriteField(writer, value);
    }

    private static void WriteField(TextWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string s:
                writer.Write(s);
                break;
            case IFormattable formattable:
                writer.Write(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IEnumerable items:
                writer.Write('[');
                bool first = true;
                foreach (var item in items)
                {
                    if (!first) writer.Write(',');
                    first = false;
                    WriteField(writer, item);
                }
                writer.Write(']');
                break;
            default:
                writer.Write(value.ToString());
                break;
        }
    }
}

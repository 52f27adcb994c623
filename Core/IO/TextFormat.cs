using System.Globalization;
using System.Runtime.CompilerServices;

namespace Spark.Serverless.IO;

/// <summary>
/// How records become text lines: a tuple is its fields joined by a tab; every value is its
/// invariant-culture <c>ToString()</c>; null is the empty string.
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
        if (value is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++)
            {
                if (i > 0) writer.Write('\t');
                WriteField(writer, tuple[i]);
            }
            return;
        }
        WriteField(writer, value);
    }

    /// <summary>The text of one record.</summary>
    public static string Format<T>(T value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, value);
        return writer.ToString();
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
            default:
                writer.Write(value.ToString());
                break;
        }
    }
}

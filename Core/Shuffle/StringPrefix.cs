using Spark.Serverless.Serialization;

namespace Spark.Serverless.Shuffle;

/// <summary>
/// A string's first four UTF-16 units as one number, big-endian, zeros past its end (and for null): two prefixes that
/// differ order as their strings do ordinally, so a sort or merge of string keys compares numbers and only goes to
/// the strings where the prefixes tie. Reversed (<c>~prefix</c>) for a descending order.
/// </summary>
internal static class StringPrefix
{
    /// <summary>The prefix of <paramref name="key"/>, reversed when <paramref name="descending"/>.</summary>
    public static ulong Of(string? key, bool descending) => Pack(key.AsSpan(), descending);

    /// <summary>The prefix of the string serialized at the start of <paramref name="serialized"/>, reversed when <paramref name="descending"/>.</summary>
    public static ulong OfSerialized(ReadOnlySpan<byte> serialized, bool descending)
    {
        int header = RecordReader.StringHeader(serialized, out int length, out _);
        // Four UTF-16 units come from at most 16 bytes of UTF-8 (a unit from up to three, a pair of them from four).
        var utf8 = serialized.Slice(header, Math.Min(length, 16));
        Span<char> units = stackalloc char[16];
        int count = 0;
        for (; count < 4 && count < utf8.Length && utf8[count] < 0x80; count++) units[count] = (char)utf8[count];
        if (count < 4 && count < utf8.Length) count = System.Text.Encoding.UTF8.GetChars(utf8, units);
        return Pack(units[..count], descending);
    }

    private static ulong Pack(ReadOnlySpan<char> units, bool descending)
    {
        ulong prefix = 0;
        for (int i = 0; i < 4; i++) prefix = (prefix << 16) | (i < units.Length ? units[i] : 0u);
        return descending ? ~prefix : prefix;
    }
}

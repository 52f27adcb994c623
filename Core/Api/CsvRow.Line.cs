using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Spark.Serverless.IO;

namespace Spark.Serverless;

/// <summary>Reading a row from one line's bytes, as csv sources do for every line.</summary>
public sealed partial class CsvRow
{
    /// <summary>
    /// A row from one line's bytes (no line end), by <see cref="CsvParser.ParseRecords"/>'s rules: a quote opens a
    /// quoted part only at a field's start, a doubled quote inside it is one quote, and what follows up to the delimiter
    /// is taken as it stands. The fields' bytes (quotes resolved) are kept, followed by each field's end offset. A line
    /// with a line break inside, or a delimiter outside ASCII, goes to the record machine.
    /// </summary>
    // The stack buffers are only read where they were written: zeroing them first cost a tenth of a row.
    [SkipLocalsInit]
    internal static CsvRow FromLine(ReadOnlySpan<byte> line, char delimiter)
    {
        int special = line.IndexOfAny((byte)'"', (byte)'\r', (byte)'\n');
        if (delimiter > 0x7F || special >= 0 && line[special..].IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            return new CsvRow(CsvParser.ParseFirstRecord(Encoding.UTF8.GetString(line), delimiter));
        // UTF-8 never uses an ASCII byte inside a multi-byte character, so the delimiter and quotes can be found by byte.
        byte separator = (byte)delimiter;
        if (special < 0)
        {
            // The fields' ends are found when they are first read (ScanTo); only their number is needed now.
            int fields = line.Count(separator) + 1;
            var plain = new byte[line.Length + 4 * fields];
            line.CopyTo(plain);
            return new CsvRow(plain, line.Length, fields, separator, scanned: 0);
        }
        // A line with quotes is rewritten field by field (quotes resolved, so never longer), its ends found at once.
        Span<int> ends = line.Length < 256 ? stackalloc int[line.Length + 1] : new int[line.Length + 1];
        Span<byte> text = line.Length <= 512 ? stackalloc byte[line.Length] : new byte[line.Length];
        int count = 0, written = 0, i = 0;
        while (i >= 0)
        {
            if (OpensQuote(line, i))
            {
                i = ResolveQuoted(line, i, separator, text, ref written);
                ends[count++] = written;
                if (i >= 0) text[written++] = separator;
                continue;
            }
            // Plain fields up to the next one opening with a quote (or the end), as they stand, shifted to where the
            // rewritten text has got to.
            int from = i;
            i = ScanPlain(line, separator, i, ends, ref count, from - written);
            int to = i < 0 ? line.Length : i;
            line[from..to].CopyTo(text[written..]);
            written += to - from;
        }
        var data = new byte[written + 4 * count];
        text[..written].CopyTo(data);
        ends[..count].CopyTo(MemoryMarshal.Cast<byte, int>(data.AsSpan(written)));
        return new CsvRow(data, written, count, separator, scanned: count);
    }

    /// <summary>
    /// Fills in the ends of the fields of a line without quotes up to <paramref name="index"/>, from the last one
    /// known. Rows are read by one task at a time, but two threads scanning at once would write the same offsets,
    /// and the count is published after them.
    /// </summary>
    private void ScanTo(int index, Span<int> ends)
    {
        var line = _data.AsSpan(0, _lineBytes);
        int field = _scanned;
        int i = field == 0 ? 0 : ends[field - 1] + 1;
        // As ScanPlain, 16 bytes at a time, but only as far as the block that holds the field's end.
        if (Vector128.IsHardwareAccelerated)
        {
            var wanted = Vector128.Create(_separator);
            ref byte first = ref MemoryMarshal.GetReference(line);
            for (; field <= index && i + Vector128<byte>.Count <= line.Length; i += Vector128<byte>.Count)
                for (uint found = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), wanted).ExtractMostSignificantBits(); found != 0; found &= found - 1)
                    ends[field++] = i + BitOperations.TrailingZeroCount(found);
        }
        for (; field <= index && i < line.Length; i++)
            if (line[i] == _separator) ends[field++] = i;
        // The last field ends with the line (there is no delimiter after it).
        if (field <= index) ends[field++] = line.Length;
        Volatile.Write(ref _scanned, field);
    }

    private static bool OpensQuote(ReadOnlySpan<byte> line, int at) => at < line.Length && line[at] == (byte)'"';

    /// <summary>
    /// Records the ends of the plain fields from <paramref name="start"/> (less <paramref name="shift"/>), finding the
    /// delimiters 16 bytes at a time, up to a field opening with a quote or the line's end; returns where that field
    /// starts, or -1 at the end.
    /// </summary>
    private static int ScanPlain(ReadOnlySpan<byte> line, byte separator, int start, Span<int> ends, ref int count, int shift)
    {
        int i = start;
        if (Vector128.IsHardwareAccelerated)
        {
            var wanted = Vector128.Create(separator);
            ref byte first = ref MemoryMarshal.GetReference(line);
            for (; i + Vector128<byte>.Count <= line.Length; i += Vector128<byte>.Count)
            {
                for (uint found = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), wanted).ExtractMostSignificantBits(); found != 0; found &= found - 1)
                {
                    int end = i + BitOperations.TrailingZeroCount(found);
                    ends[count++] = end - shift;
                    if (OpensQuote(line, end + 1)) return end + 1;
                }
            }
        }
        for (; i < line.Length; i++)
        {
            if (line[i] != separator) continue;
            ends[count++] = i - shift;
            if (OpensQuote(line, i + 1)) return i + 1;
        }
        ends[count++] = line.Length - shift;
        return -1;
    }

    /// <summary>
    /// Writes the field opening with a quote at <paramref name="at"/> to <paramref name="text"/>: a doubled quote is
    /// one, the closing quote ends the quoted part, and what follows it up to the delimiter is taken as it stands.
    /// Returns where the next field starts, or -1 at the line's end.
    /// </summary>
    private static int ResolveQuoted(ReadOnlySpan<byte> line, int at, byte separator, Span<byte> text, ref int written)
    {
        int i = at + 1;
        while (true)
        {
            int quote = line[i..].IndexOf((byte)'"');
            int run = quote < 0 ? line.Length - i : quote;
            line.Slice(i, run).CopyTo(text[written..]);
            written += run;
            i += run;
            if (quote < 0) break;
            bool doubled = i + 1 < line.Length && line[i + 1] == (byte)'"';
            if (doubled) text[written++] = (byte)'"';
            i += doubled ? 2 : 1;
            if (!doubled) break;
        }
        int next = i < line.Length ? line[i..].IndexOf(separator) : -1;
        int end = next < 0 ? line.Length : i + next;
        line[i..end].CopyTo(text[written..]);
        written += end - i;
        return next < 0 ? -1 : end + 1;
    }
}

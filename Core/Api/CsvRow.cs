using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Spark.Serverless.IO;

namespace Spark.Serverless;

/// <summary>
/// One CSV row, like Spark's <c>Row</c>: its fields by position, as text (<c>r[3]</c>) or parsed straight from the
/// row's bytes (<c>r.GetDouble(3)</c>, <c>r.GetLong(0)</c>). A row read from storage keeps its fields' UTF-8 bytes
/// (quotes resolved) and decodes a field only when asked, so fields a job never reads cost nothing.
/// Rows are equal when their fields are. Code written for <c>string[]</c> rows keeps working: a row has
/// <see cref="Length"/>, an indexer, ranges (<c>r[1..]</c>), enumerates its fields and converts to <c>string[]</c>.
/// </summary>
public sealed partial class CsvRow : IReadOnlyList<string>, IEquatable<CsvRow>
{
    private const NumberStyles IntegerStyle = NumberStyles.Integer;
    private const NumberStyles FloatStyle = NumberStyles.Float | NumberStyles.AllowThousands;
    private static readonly string[] OneCharacter = [.. Enumerable.Range(0, 0x80).Select(c => ((char)c).ToString())];

    // Either the line's bytes followed by room for each field's end offset (an int each), or the parsed fields.
    private readonly byte[]? _data;
    private readonly int _lineBytes;
    private readonly string[]? _fields;
    private readonly int _count;
    private readonly byte _separator;

    // How many of the end offsets are filled in: a line without quotes is scanned only as far as the fields read
    // (a job reading 3 of lineitem's 16 columns reads the first 7), a line with quotes all at once.
    private int _scanned;

    /// <summary>A row of the given fields (the array is kept as it is, not copied).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> or one of them is null.</exception>
    public CsvRow(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (Array.IndexOf(fields, null) is var missing and >= 0) throw new ArgumentNullException(nameof(fields), $"Field {missing} is null.");
        _fields = fields;
        _count = fields.Length;
    }

    private CsvRow(byte[] data, int lineBytes, int count, byte separator, int scanned)
    {
        _data = data;
        _lineBytes = lineBytes;
        _count = count;
        _separator = separator;
        _scanned = scanned;
    }

    /// <summary>The number of fields.</summary>
    public int Length => _count;

    /// <inheritdoc />
    public int Count => _count;

    /// <summary>The field at <paramref name="index"/>, as text.</summary>
    /// <exception cref="IndexOutOfRangeException">The row has no such field.</exception>
    public string this[int index] => _fields is { } fields ? fields[index] : Decode(Utf8(index));

    /// <summary>The fields from <paramref name="start"/>, <paramref name="length"/> of them (what <c>r[a..b]</c> calls).</summary>
    public string[] Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (start + length > _count) throw new ArgumentOutOfRangeException(nameof(length), $"The row has {_count} fields; {start} + {length} is past its end.");
        var slice = new string[length];
        for (int i = 0; i < length; i++) slice[i] = this[start + i];
        return slice;
    }

    /// <summary>The field at <paramref name="index"/> as a 64-bit integer (invariant culture).</summary>
    /// <exception cref="FormatException">The field is not an integer; the message names the field and its text.</exception>
    public long GetLong(int index) => Parse<long>(index, IntegerStyle);

    /// <summary>The field at <paramref name="index"/> as a 32-bit integer (invariant culture).</summary>
    /// <exception cref="FormatException">The field is not an integer in range.</exception>
    public int GetInt(int index) => Parse<int>(index, IntegerStyle);

    /// <summary>The field at <paramref name="index"/> as a double, as <c>double.Parse(r[index], CultureInfo.InvariantCulture)</c> reads it.</summary>
    /// <exception cref="FormatException">The field is not a number.</exception>
    public double GetDouble(int index) =>
        _fields is null && DecimalText.TryParseDouble(Utf8(index), out double value) ? value : Parse<double>(index, FloatStyle);

    /// <summary>The field at <paramref name="index"/> as a decimal (invariant culture).</summary>
    /// <exception cref="FormatException">The field is not a number.</exception>
    public decimal GetDecimal(int index) => Parse<decimal>(index, FloatStyle);

    /// <summary>Whether the field at <paramref name="index"/> is the empty string.</summary>
    public bool IsEmpty(int index) => _fields is { } fields ? fields[index].Length == 0 : Utf8(index).IsEmpty;

    /// <summary>The fields as a new array.</summary>
    public string[] ToArray() => Slice(0, _count);

    /// <summary>The fields as a new array, for code written against <c>string[]</c> rows.</summary>
    public static implicit operator string[](CsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.ToArray();
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(CsvRow? other)
    {
        if (other is null || other._count != _count) return false;
        if (ReferenceEquals(this, other)) return true;
        // Two rows read from bytes are equal exactly when their fields' bytes are; otherwise compare the text.
        if (_data is not null && other._data is not null)
        {
            for (int i = 0; i < _count; i++)
                if (!Utf8(i).SequenceEqual(other.Utf8(i))) return false;
            return true;
        }
        for (int i = 0; i < _count; i++)
            if (!string.Equals(this[i], other[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CsvRow other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (int i = 0; i < _count; i++) hash.Add(this[i], StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <summary>The fields joined by commas (for logs and debugging; not CSV-quoted).</summary>
    public override string ToString() => string.Join(',', this);

    /// <summary>Flag and status columns are often one ASCII character: those strings are shared rather than made per row.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        0 => string.Empty,
        1 when bytes[0] < 0x80 => OneCharacter[bytes[0]],
        _ => Encoding.UTF8.GetString(bytes),
    };

    /// <summary>The field's UTF-8 bytes, when the row was read from them (not for a row made of strings).</summary>
    internal bool TryGetUtf8(int index, out ReadOnlySpan<byte> bytes)
    {
        bytes = _data is null ? default : Utf8(index);
        return _data is not null;
    }

    private ReadOnlySpan<byte> Utf8(int index)
    {
        if ((uint)index >= (uint)_count) throw new IndexOutOfRangeException($"Field {index} does not exist; the row has {_count}.");
        var ends = MemoryMarshal.Cast<byte, int>(_data.AsSpan(_lineBytes));
        if (index >= Volatile.Read(ref _scanned)) ScanTo(index, ends);
        int start = index == 0 ? 0 : ends[index - 1] + 1;
        return _data.AsSpan(start, ends[index] - start);
    }

    private T Parse<T>(int index, NumberStyles style) where T : INumberBase<T>
    {
        bool parsed = _fields is { } fields
            ? T.TryParse(fields[index], style, CultureInfo.InvariantCulture, out var value)
            : T.TryParse(Utf8(index), style, CultureInfo.InvariantCulture, out value);
        return parsed ? value! : throw new FormatException($"Field {index} of the CSV row, \"{this[index]}\", is not a valid {typeof(T).Name}.");
    }
}

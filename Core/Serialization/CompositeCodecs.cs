using System.Text.Json;

namespace Spark.Serverless.Serialization;

/// <summary>Arrays: a varint length (0 for null, else length + 1), then the elements.</summary>
internal sealed class ArrayCodec<T> : RecordCodec<T[]>
{
    private readonly RecordCodec<T> _element = RecordCodec.For<T>();

    public override void Write(RecordWriter writer, T[] value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }
        writer.WriteVarUInt64((ulong)value.Length + 1);
        foreach (var item in value) _element.Write(writer, item);
    }

    public override void WriteForHash(RecordWriter writer, T[] value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }
        writer.WriteVarUInt64((ulong)value.Length + 1);
        foreach (var item in value) _element.WriteForHash(writer, item);
    }

    public override T[] Read(RecordReader reader)
    {
        ulong n = reader.ReadVarUInt64();
        if (n == 0) return null!;
        var items = new T[checked((int)(n - 1))];
        for (int i = 0; i < items.Length; i++) items[i] = _element.Read(reader);
        return items;
    }
}

/// <summary>CSV rows: as a string array of their fields (so the bytes, and hashes, match a <c>string[]</c> of the same fields).</summary>
internal sealed class CsvRowCodec : RecordCodec<CsvRow>
{
    private static readonly RecordCodec<string[]> Fields = RecordCodec.For<string[]>();

    public override void Write(RecordWriter writer, CsvRow value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }
        writer.WriteVarUInt64((ulong)value.Length + 1);
        for (int i = 0; i < value.Length; i++)
        {
            // A row read from storage already holds each field's UTF-8: written as WriteString would, without decoding.
            if (value.TryGetUtf8(i, out var bytes))
            {
                writer.WriteVarUInt64((ulong)bytes.Length + 1);
                writer.WriteRaw(bytes);
            }
            else
            {
                writer.WriteString(value[i]);
            }
        }
    }

    public override CsvRow Read(RecordReader reader) => Fields.Read(reader) is { } fields ? new CsvRow(fields) : null!;
}

/// <summary>Nullable values: a presence byte, then the value.</summary>
internal sealed class NullableCodec<T> : RecordCodec<T?> where T : struct
{
    private readonly RecordCodec<T> _value = RecordCodec.For<T>();

    public override void Write(RecordWriter writer, T? value)
    {
        writer.WriteByte(value.HasValue ? (byte)1 : (byte)0);
        if (value.HasValue) _value.Write(writer, value.Value);
    }

    public override void WriteForHash(RecordWriter writer, T? value)
    {
        writer.WriteByte(value.HasValue ? (byte)1 : (byte)0);
        if (value.HasValue) _value.WriteForHash(writer, value.Value);
    }

    public override T? Read(RecordReader reader) => reader.ReadByte() == 0 ? null : _value.Read(reader);
}

/// <summary>Anything else: System.Text.Json, length-prefixed UTF-8.</summary>
internal sealed class JsonCodec<T> : RecordCodec<T>
{
    public override void Write(RecordWriter writer, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, SparkJson.Records);
        writer.WriteBytes(bytes);
    }

    public override T Read(RecordReader reader)
    {
        var bytes = reader.ReadBytes() ?? "null"u8.ToArray();
        return JsonSerializer.Deserialize<T>(bytes, SparkJson.Records)!;
    }
}

/// <summary>Lists: like arrays.</summary>
internal sealed class ListCodec<T> : RecordCodec<List<T>>
{
    private readonly ArrayCodec<T> _array = new();

    public override void Write(RecordWriter writer, List<T> value) => _array.Write(writer, value?.ToArray()!);

    public override void WriteForHash(RecordWriter writer, List<T> value) => _array.WriteForHash(writer, value?.ToArray()!);

    public override List<T> Read(RecordReader reader) => _array.Read(reader) is { } items ? [.. items] : null!;
}

/// <summary>Read-only lists (groupByKey's values): like arrays, read back as lists.</summary>
internal sealed class ReadOnlyListCodec<T> : RecordCodec<IReadOnlyList<T>>
{
    private readonly ArrayCodec<T> _array = new();

    public override void Write(RecordWriter writer, IReadOnlyList<T> value) => _array.Write(writer, value?.ToArray()!);

    public override void WriteForHash(RecordWriter writer, IReadOnlyList<T> value) => _array.WriteForHash(writer, value?.ToArray()!);

    public override IReadOnlyList<T> Read(RecordReader reader) => _array.Read(reader) is { } items ? new List<T>(items) : null!;
}

/// <summary>Optional values: a presence byte, then the value.</summary>
internal sealed class OptionalCodec<T> : RecordCodec<Optional<T>>
{
    private readonly RecordCodec<T> _value = RecordCodec.For<T>();

    public override void Write(RecordWriter writer, Optional<T> value)
    {
        writer.WriteByte(value.HasValue ? (byte)1 : (byte)0);
        if (value.HasValue) _value.Write(writer, value.Value);
    }

    public override void WriteForHash(RecordWriter writer, Optional<T> value)
    {
        writer.WriteByte(value.HasValue ? (byte)1 : (byte)0);
        if (value.HasValue) _value.WriteForHash(writer, value.Value);
    }

    public override Optional<T> Read(RecordReader reader) => reader.ReadByte() == 0 ? Optional<T>.None : new Optional<T>(_value.Read(reader));
}

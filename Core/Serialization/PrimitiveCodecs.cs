using System.Diagnostics.CodeAnalysis;

namespace Spark.Serverless.Serialization;

/// <summary>The binary codecs of the primitive types.</summary>
internal static class PrimitiveCodecs
{
    private static readonly Dictionary<Type, object> Codecs = new()
    {
        [typeof(string)] = new StringCodec(),
        [typeof(long)] = new Int64Codec(),
        [typeof(int)] = new Int32Codec(),
        [typeof(short)] = new Int16Codec(),
        [typeof(byte)] = new ByteCodec(),
        [typeof(sbyte)] = new SByteCodec(),
        [typeof(ulong)] = new UInt64Codec(),
        [typeof(uint)] = new UInt32Codec(),
        [typeof(ushort)] = new UInt16Codec(),
        [typeof(char)] = new CharCodec(),
        [typeof(bool)] = new BooleanCodec(),
        [typeof(double)] = new DoubleCodec(),
        [typeof(float)] = new SingleCodec(),
        [typeof(decimal)] = new DecimalCodec(),
        [typeof(DateTime)] = new DateTimeCodec(),
        [typeof(DateTimeOffset)] = new DateTimeOffsetCodec(),
        [typeof(TimeSpan)] = new TimeSpanCodec(),
        [typeof(Guid)] = new GuidCodec(),
        [typeof(byte[])] = new BytesCodec(),
    };

    public static bool TryGet(Type type, [NotNullWhen(true)] out object? codec) => Codecs.TryGetValue(type, out codec);

    private sealed class StringCodec : RecordCodec<string>
    {
        public override void Write(RecordWriter writer, string value) => writer.WriteString(value);
        public override string Read(RecordReader reader) => reader.ReadString()!;
    }

    private sealed class Int64Codec : RecordCodec<long>
    {
        public override void Write(RecordWriter writer, long value) => writer.WriteVarInt64(value);
        public override long Read(RecordReader reader) => reader.ReadVarInt64();
    }

    private sealed class Int32Codec : RecordCodec<int>
    {
        public override void Write(RecordWriter writer, int value) => writer.WriteVarInt64(value);
        public override int Read(RecordReader reader) => checked((int)reader.ReadVarInt64());
    }

    private sealed class Int16Codec : RecordCodec<short>
    {
        public override void Write(RecordWriter writer, short value) => writer.WriteVarInt64(value);
        public override short Read(RecordReader reader) => checked((short)reader.ReadVarInt64());
    }

    private sealed class ByteCodec : RecordCodec<byte>
    {
        public override void Write(RecordWriter writer, byte value) => writer.WriteByte(value);
        public override byte Read(RecordReader reader) => reader.ReadByte();
    }

    private sealed class SByteCodec : RecordCodec<sbyte>
    {
        public override void Write(RecordWriter writer, sbyte value) => writer.WriteByte((byte)value);
        public override sbyte Read(RecordReader reader) => (sbyte)reader.ReadByte();
    }

    private sealed class UInt64Codec : RecordCodec<ulong>
    {
        public override void Write(RecordWriter writer, ulong value) => writer.WriteVarUInt64(value);
        public override ulong Read(RecordReader reader) => reader.ReadVarUInt64();
    }

    private sealed class UInt32Codec : RecordCodec<uint>
    {
        public override void Write(RecordWriter writer, uint value) => writer.WriteVarUInt64(value);
        public override uint Read(RecordReader reader) => checked((uint)reader.ReadVarUInt64());
    }

    private sealed class UInt16Codec : RecordCodec<ushort>
    {
        public override void Write(RecordWriter writer, ushort value) => writer.WriteVarUInt64(value);
        public override ushort Read(RecordReader reader) => checked((ushort)reader.ReadVarUInt64());
    }

    private sealed class CharCodec : RecordCodec<char>
    {
        public override void Write(RecordWriter writer, char value) => writer.WriteVarUInt64(value);
        public override char Read(RecordReader reader) => checked((char)reader.ReadVarUInt64());
    }

    private sealed class BooleanCodec : RecordCodec<bool>
    {
        public override void Write(RecordWriter writer, bool value) => writer.WriteByte(value ? (byte)1 : (byte)0);
        public override bool Read(RecordReader reader) => reader.ReadByte() != 0;
    }

    private sealed class DoubleCodec : RecordCodec<double>
    {
        public override void Write(RecordWriter writer, double value) => writer.WriteDouble(value);
        public override double Read(RecordReader reader) => reader.ReadDouble();

        // 0.0 equals -0.0 and every NaN equals every other NaN under Equals; they must hash alike.
        public override void WriteForHash(RecordWriter writer, double value) =>
            writer.WriteDouble(value == 0 ? 0 : double.IsNaN(value) ? double.NaN : value);
    }

    private sealed class SingleCodec : RecordCodec<float>
    {
        public override void Write(RecordWriter writer, float value) => writer.WriteDouble(value);
        public override float Read(RecordReader reader) => (float)reader.ReadDouble();

        public override void WriteForHash(RecordWriter writer, float value) =>
            writer.WriteDouble(value == 0 ? 0 : float.IsNaN(value) ? double.NaN : value);
    }

    private sealed class DecimalCodec : RecordCodec<decimal>
    {
        public override void Write(RecordWriter writer, decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            foreach (int b in bits) writer.WriteVarInt64(b);
        }

        public override decimal Read(RecordReader reader)
        {
            Span<int> bits = stackalloc int[4];
            for (int i = 0; i < 4; i++) bits[i] = checked((int)reader.ReadVarInt64());
            return new decimal(bits);
        }

        // 1.0m equals 1.00m but their bits differ in scale; hash the normalized value.
        public override void WriteForHash(RecordWriter writer, decimal value) => Write(writer, value / 1.000000000000000000000000000000000m);
    }

    private sealed class DateTimeCodec : RecordCodec<DateTime>
    {
        public override void Write(RecordWriter writer, DateTime value) => writer.WriteVarInt64(value.ToBinary());
        public override DateTime Read(RecordReader reader) => DateTime.FromBinary(reader.ReadVarInt64());
        public override void WriteForHash(RecordWriter writer, DateTime value) => writer.WriteVarInt64(value.Ticks);
    }

    private sealed class DateTimeOffsetCodec : RecordCodec<DateTimeOffset>
    {
        public override void Write(RecordWriter writer, DateTimeOffset value)
        {
            writer.WriteVarInt64(value.Ticks);
            writer.WriteVarInt64(value.Offset.Ticks);
        }

        public override DateTimeOffset Read(RecordReader reader) =>
            new(reader.ReadVarInt64(), TimeSpan.FromTicks(reader.ReadVarInt64()));

        public override void WriteForHash(RecordWriter writer, DateTimeOffset value) => writer.WriteVarInt64(value.UtcTicks);
    }

    private sealed class TimeSpanCodec : RecordCodec<TimeSpan>
    {
        public override void Write(RecordWriter writer, TimeSpan value) => writer.WriteVarInt64(value.Ticks);
        public override TimeSpan Read(RecordReader reader) => TimeSpan.FromTicks(reader.ReadVarInt64());
    }

    private sealed class GuidCodec : RecordCodec<Guid>
    {
        public override void Write(RecordWriter writer, Guid value)
        {
            Span<byte> bytes = stackalloc byte[16];
            value.TryWriteBytes(bytes);
            writer.WriteRaw(bytes);
        }

        public override Guid Read(RecordReader reader)
        {
            Span<byte> bytes = stackalloc byte[16];
            for (int i = 0; i < 16; i++) bytes[i] = reader.ReadByte();
            return new Guid(bytes);
        }
    }

    private sealed class BytesCodec : RecordCodec<byte[]>
    {
        public override void Write(RecordWriter writer, byte[] value) => writer.WriteBytes(value, value is null);
        public override byte[] Read(RecordReader reader) => reader.ReadBytes()!;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Spark.Serverless.Serialization;

/// <summary>
/// Writes records in the binary codec's format: varints (LEB128, zigzag for signed), little-endian
/// fixed-width floats, length-prefixed UTF-8 strings. Buffers internally; with no stream it only grows,
/// and <see cref="WrittenSpan"/> shows what was written (used for hashing keys).
/// </summary>
public sealed class RecordWriter : IDisposable
{
    /// <summary>
    /// The largest buffer rented from the shared pool; a writer grown past it owns its arrays. The pool keeps what it
    /// is given back for a minute or more, as many arrays of a size as were out at once: a map task's shuffle buckets
    /// (one writer per reduce partition, each doubling to 1 MB) left about 25 MB in it that the executor still held
    /// at the next stage's peak. Owned arrays are garbage the next full collection frees.
    /// </summary>
    internal const int MaxPooledBytes = 64 << 10;

    private readonly Stream? _stream;
    private byte[] _buffer;
    private int _position;
    private long _flushed;

    /// <summary>Creates a writer that flushes to <paramref name="stream"/>, or only buffers when it is null.</summary>
    public RecordWriter(Stream? stream, int bufferSize = 64 << 10)
    {
        _stream = stream;
        _buffer = Allocate(Math.Max(bufferSize, 64));
    }

    /// <summary>All bytes written so far, flushed or not.</summary>
    public long BytesWritten => _flushed + _position;

    /// <summary>The buffered bytes (everything written, when there is no stream).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>The buffer <see cref="WrittenSpan"/> is the start of, for reading records back in place.</summary>
    internal byte[] Buffer => _buffer;

    /// <summary>Grows the buffer to hold at least <paramref name="bytes"/> in all, for a writer whose size is known ahead.</summary>
    internal void Reserve(int bytes)
    {
        if (bytes > _buffer.Length) Ensure(bytes - _position);
    }

    /// <summary>Forgets buffered bytes; for a writer without a stream that is reused.</summary>
    public void Reset()
    {
        _position = 0;
        _flushed = 0;
    }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    /// <summary>Writes an unsigned varint.</summary>
    public void WriteVarUInt64(ulong value)
    {
        Ensure(10);
        var b = _buffer;
        int p = _position;
        while (value >= 0x80)
        {
            b[p++] = (byte)(value | 0x80);
            value >>= 7;
        }
        b[p++] = (byte)value;
        _position = p;
    }

    /// <summary>Writes a signed varint (zigzag).</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes 8 bytes, little-endian.</summary>
    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>Writes a double as its IEEE bits.</summary>
    public void WriteDouble(double value) => WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(value));

    /// <summary>Writes a string: varint(byte length + 1), then UTF-8; null is a single 0.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }
        // Short strings: encode straight into the buffer after reserving the worst case.
        if (value.Length <= 4096)
        {
            Ensure(5 + value.Length * 3);
            int lengthAt = _position;
            int bytes = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(lengthAt + 1));
            if (bytes + 1 < 0x80)
            {
                _buffer[lengthAt] = (byte)(bytes + 1);
                _position = lengthAt + 1 + bytes;
                return;
            }
        }
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)count + 1);
        Ensure(count);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>Writes raw bytes with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null && bytes.Length > _buffer.Length / 2)
        {
            Flush();
            _stream.Write(bytes);
            _flushed += bytes.Length;
            return;
        }
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>Writes length-prefixed bytes (null is a single 0).</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes, bool isNull = false)
    {
        if (isNull)
        {
            WriteByte(0);
            return;
        }
        WriteVarUInt64((ulong)bytes.Length + 1);
        WriteRaw(bytes);
    }

    /// <summary>Writes buffered bytes to the stream.</summary>
    public void Flush()
    {
        if (_stream is null || _position == 0) return;
        _stream.Write(_buffer, 0, _position);
        _flushed += _position;
        _position = 0;
    }

    private void Ensure(int bytes)
    {
        if (_buffer.Length - _position >= bytes) return;
        if (_stream is not null)
        {
            Flush();
            if (_buffer.Length >= bytes) return;
        }
        var bigger = Allocate(Math.Max(_buffer.Length * 2, _position + bytes));
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        Release(_buffer);
        _buffer = bigger;
    }

    private static byte[] Allocate(int bytes) => bytes <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(bytes) : new byte[bytes];

    private static void Release(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= MaxPooledBytes) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Flushes and returns the buffer to the pool; the stream stays open.</summary>
    public void Dispose()
    {
        Flush();
        Release(Interlocked.Exchange(ref _buffer, []));
    }
}

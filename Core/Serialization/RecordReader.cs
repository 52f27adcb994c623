using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Spark.Serverless.Serialization;

/// <summary>Reads what <see cref="RecordWriter"/> wrote, streaming through a buffer.</summary>
public sealed class RecordReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _position;
    private int _length;
    private bool _eof;
    private readonly bool _inPlace;

    /// <summary>Creates a reader over a stream.</summary>
    public RecordReader(Stream stream, int bufferSize = 64 << 10)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 64));
    }

    /// <summary>Creates a reader over bytes already in memory, read in place: <paramref name="bytes"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public RecordReader(byte[] bytes, int start, int end)
    {
        _stream = Stream.Null;
        _buffer = bytes;
        _inPlace = true;
        MoveTo(bytes, start, end);
    }

    /// <summary>Points a reader made over in-memory bytes at another range, so one reader serves many records.</summary>
    internal void MoveTo(byte[] bytes, int start, int end)
    {
        if (!_inPlace) throw new InvalidOperationException("Only a reader over in-memory bytes can move.");
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, bytes.Length);
        _buffer = bytes;
        _position = start;
        _length = end;
        _eof = true;
    }

    /// <summary>Whether every byte has been read.</summary>
    public bool AtEnd
    {
        get
        {
            if (_position < _length) return false;
            if (_eof) return true;
            Fill(1);
            return _position >= _length;
        }
    }

    /// <summary>Reads one byte.</summary>
    public byte ReadByte()
    {
        Require(1);
        return _buffer[_position++];
    }

    /// <summary>Reads an unsigned varint.</summary>
    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        int shift = 0;
        while (true)
        {
            byte b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
            shift += 7;
            if (shift > 63) throw new InvalidDataException("Varint is longer than 10 bytes.");
        }
    }

    /// <summary>Reads a signed (zigzag) varint.</summary>
    public long ReadVarInt64()
    {
        ulong v = ReadVarUInt64();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    /// <summary>Reads 8 little-endian bytes.</summary>
    public ulong ReadFixed64()
    {
        Require(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_position));
        _position += 8;
        return v;
    }

    /// <summary>Reads a double.</summary>
    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadFixed64());

    /// <summary>
    /// Parses the header <see cref="RecordWriter.WriteString"/> puts in front of a string's UTF-8 bytes (a varint of
    /// their count plus one, 0 for null) at the start of <paramref name="bytes"/>: returns the header's length and
    /// sets the count, for callers that compare strings where they lie instead of decoding them.
    /// </summary>
    internal static int StringHeader(ReadOnlySpan<byte> bytes, out int length, out bool isNull)
    {
        ulong n = 0;
        int at = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 63) throw new InvalidDataException("Varint is longer than 10 bytes.");
            byte b = bytes[at++];
            n |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        isNull = n == 0;
        length = isNull ? 0 : checked((int)(n - 1));
        return at;
    }

    /// <summary>Reads a string (or null).</summary>
    public string? ReadString()
    {
        ulong n = ReadVarUInt64();
        if (n == 0) return null;
        int count = checked((int)(n - 1));
        Require(count);
        string s = Encoding.UTF8.GetString(_buffer, _position, count);
        _position += count;
        return s;
    }

    /// <summary>Reads length-prefixed bytes (or null).</summary>
    public byte[]? ReadBytes()
    {
        ulong n = ReadVarUInt64();
        if (n == 0) return null;
        int count = checked((int)(n - 1));
        Require(count);
        var bytes = _buffer.AsSpan(_position, count).ToArray();
        _position += count;
        return bytes;
    }

    private void Require(int count)
    {
        if (_length - _position >= count) return;
        Fill(count);
        if (_length - _position < count)
            throw new InvalidDataException($"Record stream ended {count - (_length - _position)} bytes short: the block is truncated or corrupt.");
    }

    private void Fill(int count)
    {
        // In-memory bytes have nothing more to read, and compacting would move the caller's own bytes.
        if (_inPlace) return;
        int unread = _length - _position;
        if (_position > 0)
        {
            Buffer.BlockCopy(_buffer, _position, _buffer, 0, unread);
            _position = 0;
            _length = unread;
        }
        if (_buffer.Length < count)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        while (!_eof && _length - _position < count)
        {
            int n = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (n == 0) _eof = true;
            _length += n;
        }
    }

    /// <summary>Returns the buffer to the pool; the stream is not disposed.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0 && !_inPlace) ArrayPool<byte>.Shared.Return(buffer);
    }
}

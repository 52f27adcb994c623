using Microsoft.Win32.SafeHandles;

namespace Spark.Serverless.Execution.Spill;

/// <summary>A read-only window of a file read by offset (<see cref="RandomAccess"/>), so windows of one file do not share a position.</summary>
internal sealed class FileWindow(SafeFileHandle file, long start, long length) : Stream
{
    private long _position;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => length;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0) return 0;
        int n = RandomAccess.Read(file, buffer[..wanted], start + _position);
        if (n == 0) throw new InvalidDataException($"A spill file ends {length - _position} bytes before the end of a window.");
        _position += n;
        return n;
    }

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

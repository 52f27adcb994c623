using System.Buffers;
using System.Text;

namespace Spark.Serverless.IO;

/// <summary>
/// Reads the lines of one line-aligned split. A line belongs to the split in which its first byte lies:
/// a split that does not start at 0 skips the partial line it starts in (it begins reading one byte early,
/// so a line that starts exactly at the split start is kept), and the last line is read past the split's end.
/// Line ends are <c>\n</c> or <c>\r\n</c>; a missing final line end is fine; a UTF-8 byte-order mark at offset 0 is dropped.
/// </summary>
public static class LineSplitReader
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Reads the lines whose first byte lies in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="stream">The blob's bytes from offset <c>max(start - 1, 0)</c> to the blob's end (read lazily).</param>
    /// <param name="start">The split's first byte.</param>
    /// <param name="end">The split's end (exclusive).</param>
    /// <param name="bufferSize">The read buffer's starting size; it grows to hold a longer line.</param>
    public static IEnumerable<string> ReadLines(Stream stream, long start, long end, int bufferSize = 1 << 20)
    {
        foreach (var line in ReadLineBytes(stream, start, end, bufferSize)) yield return Encoding.UTF8.GetString(line.Span);
    }

    /// <summary>
    /// The same lines as <see cref="ReadLines"/>, as their UTF-8 bytes without the line end. Each one is a view of the
    /// read buffer, valid only until the next is asked for: copy what must be kept.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> ReadLineBytes(Stream stream, long start, long end, int bufferSize = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new Buffer(stream, start == 0 ? 0 : start - 1, bufferSize);
        try
        {
            if (start > 0)
            {
                if (!reader.SkipPastNewline()) yield break;
            }
            else
            {
                reader.SkipPrefix(Bom);
            }
            while (reader.Position < end)
            {
                if (!reader.TryReadLine(out var line)) yield break;
                yield return line;
            }
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>A growable window over the stream with the absolute position of its first unread byte.</summary>
    private sealed class Buffer(Stream stream, long origin, int size) : IDisposable
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(size, 16));
        private int _head;
        private int _tail;
        private long _origin = origin;
        private bool _eof;

        public long Position => _origin + _head;

        public void SkipPrefix(ReadOnlySpan<byte> prefix)
        {
            while (!_eof && _tail - _head < prefix.Length) Fill();
            if (_bytes.AsSpan(_head, _tail - _head).StartsWith(prefix)) _head += prefix.Length;
        }

        public bool SkipPastNewline()
        {
            while (true)
            {
                int i = _bytes.AsSpan(_head, _tail - _head).IndexOf((byte)'\n');
                if (i >= 0)
                {
                    _head += i + 1;
                    return true;
                }
                _head = _tail;
                if (_eof) return false;
                Fill();
            }
        }

        public bool TryReadLine(out ReadOnlyMemory<byte> line)
        {
            int searched = 0;
            while (true)
            {
                var window = _bytes.AsSpan(_head + searched, _tail - _head - searched);
                int i = window.IndexOf((byte)'\n');
                if (i >= 0)
                {
                    int length = searched + i;
                    line = WithoutCarriageReturn(_head, length);
                    _head += length + 1;
                    return true;
                }
                searched = _tail - _head;
                if (_eof)
                {
                    if (_head == _tail)
                    {
                        line = default;
                        return false;
                    }
                    line = WithoutCarriageReturn(_head, _tail - _head);
                    _head = _tail;
                    return true;
                }
                Fill();
            }
        }

        private ReadOnlyMemory<byte> WithoutCarriageReturn(int offset, int length) =>
            _bytes.AsMemory(offset, length > 0 && _bytes[offset + length - 1] == (byte)'\r' ? length - 1 : length);

        /// <summary>Reads more bytes, first moving unread ones to the front and growing when the buffer is full of one line.</summary>
        private void Fill()
        {
            if (_head > 0)
            {
                int unread = _tail - _head;
                System.Buffer.BlockCopy(_bytes, _head, _bytes, 0, unread);
                _origin += _head;
                _head = 0;
                _tail = unread;
            }
            if (_tail == _bytes.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2);
                System.Buffer.BlockCopy(_bytes, 0, bigger, 0, _tail);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = bigger;
            }
            int read = stream.Read(_bytes, _tail, _bytes.Length - _tail);
            if (read == 0) _eof = true;
            _tail += read;
        }

        public void Dispose()
        {
            var bytes = Interlocked.Exchange(ref _bytes, []);
            if (bytes.Length > 0) ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}

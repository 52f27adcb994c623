using Spark.Serverless.Serialization;

namespace Spark.Serverless.Execution.Spill;

/// <summary>
/// A local temp file that records are written to once and read back once. The file is deleted when closed
/// (even after a failure), so spills leave nothing behind.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly FileStream _file;
    private RecordWriter? _writer;

    public SpillFile(string directory)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"spill-{Guid.NewGuid():N}.tmp");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        _writer = new RecordWriter(_file, 1 << 16);
        FilePath = path;
    }

    /// <summary>The file's path (for tests and logs).</summary>
    public string FilePath { get; }

    /// <summary>The writer, until <see cref="OpenReader"/>.</summary>
    public RecordWriter Writer => _writer ?? throw new InvalidOperationException("The spill file was already read.");

    /// <summary>Finishes writing and reads the records back from the start.</summary>
    public RecordReader OpenReader()
    {
        if (_writer is not null)
        {
            _writer.Dispose();
            _writer = null;
        }
        _file.Flush();
        _file.Position = 0;
        return new RecordReader(_file, 1 << 16);
    }

    /// <summary>Writes serialized records as one shuffle frame at the end of the file; returns its length.</summary>
    /// <param name="records">The serialized records.</param>
    /// <param name="compression">The writer's choice of compressing the frame or storing it.</param>
    public long AppendFrame(ReadOnlySpan<byte> records, Shuffle.FrameCompression compression)
    {
        // Through the writer, so Length keeps counting every byte.
        var frame = compression.Frame(records);
        Writer.WriteRaw(frame);
        return frame.Length;
    }

    /// <summary>Finishes writing; afterwards ranges can be copied out with <see cref="CopyRange"/>.</summary>
    public void FinishWriting()
    {
        _writer?.Flush();
        _file.Flush();
    }

    /// <summary>Copies bytes [offset, offset + length) of the file to <paramref name="destination"/>.</summary>
    public void CopyRange(long offset, long length, Stream destination)
    {
        FinishWriting();
        _file.Position = offset;
        var window = new IO.BoundedStream(_file, length);
        window.CopyTo(destination, 1 << 16);
    }

    /// <summary>Appends everything left in <paramref name="source"/>; returns the bytes copied.</summary>
    public long CopyFrom(Stream source)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            for (int n; (n = source.Read(buffer)) > 0; total += n)
                Writer.WriteRaw(buffer.AsSpan(0, n));
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads bytes at <paramref name="offset"/> into <paramref name="destination"/>, all of them or throws.</summary>
    /// <exception cref="InvalidDataException">The file ends first.</exception>
    public void ReadAt(long offset, Span<byte> destination)
    {
        FinishWriting();
        int n = RandomAccess.Read(_file.SafeFileHandle, destination, offset);
        if (n < destination.Length) throw new InvalidDataException($"A spill file ends {destination.Length - n} bytes early.");
    }

    /// <summary>
    /// A stream over bytes [offset, offset + length) of the file with a position of its own, so many can be read
    /// at once (a merge reads every sorted segment side by side).
    /// </summary>
    public Stream OpenWindow(long offset, long length)
    {
        FinishWriting();
        return new FileWindow(_file.SafeFileHandle, offset, length);
    }

    /// <summary>Bytes written.</summary>
    public long Length => _writer?.BytesWritten ?? _file.Length;

    /// <summary>Deletes the file.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _file.Dispose();
    }
}

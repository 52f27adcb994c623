namespace Spark.Serverless.Bench.Baselines;

/// <summary>
/// Splits files into pieces that start and end on line boundaries, one per worker, and reads a piece's lines as
/// byte spans straight from large buffers: how a tuned single-process program reads text with every core.
/// </summary>
internal static class LineChunks
{
    /// <summary>A byte range of a file.</summary>
    public readonly record struct Chunk(string Path, long Start, long End);

    /// <summary>About <paramref name="perFile"/> chunks of each file, cut after a newline.</summary>
    public static List<Chunk> Split(IEnumerable<string> files, int perFile)
    {
        var chunks = new List<Chunk>();
        foreach (var path in files)
        {
            using var handle = File.OpenHandle(path);
            long length = RandomAccess.GetLength(handle);
            long start = 0;
            for (int i = 1; i <= perFile && start < length; i++)
            {
                long end = i == perFile ? length : NextLineStart(handle, length, length * i / perFile);
                if (end > start) chunks.Add(new Chunk(path, start, end));
                start = end;
            }
        }
        return chunks;
    }

    private static long NextLineStart(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, long at)
    {
        var buffer = new byte[4096];
        while (at < length)
        {
            int n = RandomAccess.Read(handle, buffer, at);
            int newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
            if (newline >= 0) return at + newline + 1;
            at += n;
        }
        return length;
    }

    /// <summary>Calls <paramref name="line"/> with every line of the chunk (without its newline).</summary>
    public static void ForEachLine(Chunk chunk, LineAction line)
    {
        using var handle = File.OpenHandle(chunk.Path);
        var buffer = new byte[8 << 20];
        int carried = 0;
        long position = chunk.Start;
        while (position < chunk.End)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(carried, (int)Math.Min(buffer.Length - carried, chunk.End - position)), position);
            if (n == 0) break;
            position += n;
            var data = buffer.AsSpan(0, carried + n);
            int start = 0;
            while (true)
            {
                int newline = data[start..].IndexOf((byte)'\n');
                if (newline < 0) break;
                line(data.Slice(start, newline));
                start += newline + 1;
            }
            carried = data.Length - start;
            data[start..].CopyTo(buffer);
        }
        if (carried > 0) line(buffer.AsSpan(0, carried));
    }

    /// <summary>Receives one line.</summary>
    public delegate void LineAction(ReadOnlySpan<byte> line);

    /// <summary>The <paramref name="index"/>-th comma-separated field of a CSV line whose earlier fields are unquoted.</summary>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, int index)
    {
        for (int i = 0; i < index; i++) line = line[(line.IndexOf((byte)',') + 1)..];
        int comma = line.IndexOf((byte)',');
        return comma < 0 ? line : line[..comma];
    }
}

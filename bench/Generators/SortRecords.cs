using System.Text;

namespace Spark.Serverless.Bench.Generators;

/// <summary>
/// gensort-like records in ASCII form: 100 bytes each, a 10-byte printable key, a space, the record number as
/// 32 hex digits, a space, 55 bytes of filler and a newline, so both GNU sort and a text source read them as lines.
/// </summary>
public static class SortRecords
{
    /// <summary>The size of one record, newline included.</summary>
    public const int RecordBytes = 100;

    /// <summary>The size of a record's key.</summary>
    public const int KeyBytes = 10;

    /// <summary>Writes <paramref name="count"/> records numbered from <paramref name="first"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, long first, long count, ulong seed)
    {
        var random = new SplitMix64(seed ^ (ulong)first);
        var buffer = new byte[RecordBytes * 4096];
        int used = 0;
        for (long n = first; n < first + count; n++)
        {
            var record = buffer.AsSpan(used, RecordBytes);
            // Keys use the 95 printable characters, as gensort -a does.
            for (int i = 0; i < KeyBytes; i++) record[i] = (byte)(' ' + random.Next(95));
            record[KeyBytes] = (byte)' ';
            Encoding.ASCII.GetBytes(n.ToString("X32", System.Globalization.CultureInfo.InvariantCulture), record.Slice(KeyBytes + 1, 32));
            record[KeyBytes + 33] = (byte)' ';
            byte filler = (byte)('A' + (int)(n % 26));
            record.Slice(KeyBytes + 34, RecordBytes - KeyBytes - 35).Fill(filler);
            record[RecordBytes - 1] = (byte)'\n';
            used += RecordBytes;
            if (used == buffer.Length)
            {
                output.Write(buffer, 0, used);
                used = 0;
            }
        }
        output.Write(buffer, 0, used);
    }
}

using System.Text;

namespace Spark.Serverless.IO;

/// <summary>An RFC 4180 CSV parser: fields separated by a delimiter, optionally quoted with <c>"</c>, a quote inside quotes doubled.</summary>
public static class CsvParser
{
    /// <summary>Parses one line as one record (quoted fields may hold the delimiter and doubled quotes, not line breaks).</summary>
    public static string[] ParseLine(string line, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(line);
        // One implementation of the quote rules for single lines: the byte parser csv sources use.
        return CsvRow.FromLine(Encoding.UTF8.GetBytes(line), delimiter).ToArray();
    }

    /// <summary>The first record of <paramref name="line"/> by the record machine (what a line with a line break, or a non-ASCII delimiter, needs).</summary>
    internal static string[] ParseFirstRecord(string line, char delimiter)
    {
        using var reader = new StringReader(line);
        return ParseRecords(reader, delimiter, keepBlankLines: true).FirstOrDefault() ?? [""];
    }

    /// <summary>Parses records; line breaks inside quotes belong to the field, blank lines are skipped.</summary>
    public static IEnumerable<string[]> ParseRecords(TextReader reader, char delimiter = ',', bool keepBlankLines = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        bool inQuotes = false, fieldStarted = false, any = false;
        while (true)
        {
            int next = reader.Read();
            if (next < 0)
            {
                if (any || fieldStarted || field.Length > 0 || fields.Count > 0)
                {
                    fields.Add(field.ToString());
                    yield return [.. fields];
                }
                yield break;
            }
            char c = (char)next;
            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else inQuotes = false;
                }
                else field.Append(c);
                continue;
            }
            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n') reader.Read();
                bool blank = fields.Count == 0 && field.Length == 0 && !fieldStarted;
                if (!blank || keepBlankLines)
                {
                    fields.Add(field.ToString());
                    yield return [.. fields];
                }
                fields.Clear();
                field.Clear();
                fieldStarted = false;
                any = false;
            }
            else field.Append(c);
        }
    }
}

using System.Text;

namespace Spark.Serverless.IO;

/// <summary>An RFC 4180 CSV parser: fields separated by a delimiter, optionally quoted with <c>"</c>, a quote inside quotes doubled.</summary>
public static class CsvParser
{
    /// <summary>Parses one line as one record (quoted fields may hold the delimiter and doubled quotes, not line breaks).</summary>
    public static string[] ParseLine(string line, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(line);
        // The hot path of every csv source: most lines quote nothing, and a plain split gives the same fields;
        // quoted lines take a loop over the string. Only a line break (not expected in a line) needs the record machine.
        if (line.AsSpan().IndexOfAny('\r', '\n') < 0)
            return line.Contains('"', StringComparison.Ordinal) ? ParseQuotedLine(line, delimiter) : line.Split(delimiter);
        using var reader = new StringReader(line);
        return ParseRecords(reader, delimiter, keepBlankLines: true).FirstOrDefault() ?? [""];
    }

    /// <summary>One line with quotes, by the same rules as <see cref="ParseRecords"/>: a quote opens a quoted part only at a field's start.</summary>
    private static string[] ParseQuotedLine(string line, char delimiter)
    {
        var fields = new List<string>(16);
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            bool quoted = i < line.Length && line[i] == '"';
            if (quoted)
            {
                // Runs between quotes are copied whole; a doubled quote is one quote, a single one ends the part.
                field.Clear();
                for (i++; ; )
                {
                    int q = line.IndexOf('"', i);
                    if (q < 0)
                    {
                        field.Append(line, i, line.Length - i);
                        i = line.Length;
                        break;
                    }
                    field.Append(line, i, q - i);
                    if (q + 1 < line.Length && line[q + 1] == '"')
                    {
                        field.Append('"');
                        i = q + 2;
                        continue;
                    }
                    i = q + 1;
                    break;
                }
            }
            // Whatever follows, up to the delimiter, is taken as it stands (a quote there is just a character).
            int end = i < line.Length ? line.IndexOf(delimiter, i) : -1;
            if (end < 0) end = line.Length;
            fields.Add(quoted ? field.Append(line, i, end - i).ToString() : line.Substring(i, end - i));
            if (end >= line.Length) return [.. fields];
            i = end + 1;
        }
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

using System.Text;

namespace Spark.Serverless.EndToEnd.Tests;

/// <summary>Deterministic test text: words with punctuation and non-ASCII letters, in lines of varying length and ending.</summary>
internal static class TestCorpus
{
    private static readonly string[] Words =
    [
        "the", "The", "THE", "spark", "Spark's", "data", "café", "naïve", "Ünïcödé", "日本語", "straße", "Ölçü",
        "emoji😀", "don't", "e-mail", "x", "42", "3.14", "well,", "end.", "(paren)", "quote\"d", "tab\there", "über",
    ];

    /// <summary>About <paramref name="lines"/> lines; <paramref name="lineEnd"/> null mixes \n and \r\n.</summary>
    public static string Generate(int seed, int lines, string? lineEnd, bool trailingNewline)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int count = random.Next(0, 14);
            for (int w = 0; w < count; w++)
            {
                if (w > 0) text.Append(random.Next(6) == 0 ? "  " : " ");
                text.Append(Words[random.Next(Words.Length)]);
            }
            bool last = i == lines - 1;
            if (!last || trailingNewline) text.Append(lineEnd ?? (random.Next(2) == 0 ? "\n" : "\r\n"));
        }
        return text.ToString();
    }
}

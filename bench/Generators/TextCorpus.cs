using System.Text;

namespace Spark.Serverless.Bench.Generators;

/// <summary>
/// Deterministic English-looking prose: words drawn from a Zipf distribution (exponent 1.1) over a vocabulary of
/// common English words followed by a long tail of made-up ones, in sentences with capitals, commas and full
/// stops, wrapped into lines of 50-90 characters, with blank lines between paragraphs.
/// </summary>
public sealed class TextCorpus
{
    private static readonly string[] Common = (
        "the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot but some what " +
        "there we can out other were all your when up use word how said an each she which do their time if will way about many then them " +
        "would write like so these her long make thing see him two has look more day could go come did my sound no most number who over " +
        "know water than call first people may down side been now find any new work part take get place made live where after back little " +
        "only round man year came show every good me give our under name very through just form much great think say help low line before " +
        "turn cause same mean differ move right boy old too does tell sentence set three want air well also play small end put home read " +
        "hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture " +
        "try us again animal point mother world near build self earth father head stand own page should country found answer school grow " +
        "study still learn plant cover food sun four thought let keep eye never last door between city tree cross since hard start might " +
        "story saw far sea draw left late run while press close night real life few stop open seem together next white children begin got " +
        "walk example ease paper often always music those both mark book letter until mile river car feet care second group carry took rain " +
        "eat room friend began idea fish mountain north once base hear horse cut sure watch color face wood main enough plain girl usual " +
        "young ready above ever red list though feel talk bird soon body dog family direct pose leave song measure state product black short " +
        "numeral class wind question happen complete ship area half rock order fire south problem piece told knew pass farm top whole king " +
        "size heard best hour better true during hundred am remember step early hold west ground interest reach fast five sing listen six " +
        "table travel less morning ten simple several vowel toward war lay against pattern slow center love person money serve appear road " +
        "map science rule govern pull cold notice voice fall power town fine certain fly unit lead cry dark machine note wait plan figure " +
        "star box noun field rest correct able pound done beauty drive stood contain front teach week final gave green oh quick develop " +
        "sleep warm free minute strong special mind behind clear tail produce fact street inch lot nothing course stay wheel full force blue " +
        "object decide surface deep moon island foot yet busy test record boat common gold possible plane age dry wonder laugh thousand ago " +
        "ran check game shape yes miss brought heat snow bed bring sit perhaps fill east weight language among café naïve façade déjà vu").Split(' ');

    private static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "tor", "sa", "vel", "qu", "an", "dre", "is", "ol", "ump", "ber", "th", "ing", "ast", "or", "ne", "wy"];

    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    /// <summary>Builds the vocabulary and its Zipf weights.</summary>
    /// <param name="vocabularySize">Distinct words; made-up words fill what the common ones do not.</param>
    public TextCorpus(int vocabularySize = 50_000)
    {
        var words = new List<string>(Common.Distinct());
        var tail = new SplitMix64(7);
        var seen = new HashSet<string>(words);
        while (words.Count < vocabularySize)
        {
            var sb = new StringBuilder();
            int syllables = 2 + tail.Next(3);
            for (int i = 0; i < syllables; i++) sb.Append(Syllables[tail.Next(Syllables.Length)]);
            if (seen.Add(sb.ToString())) words.Add(sb.ToString());
        }
        _vocabulary = [.. words];
        _cumulative = new double[_vocabulary.Length];
        double total = 0;
        for (int k = 0; k < _vocabulary.Length; k++) _cumulative[k] = total += 1.0 / Math.Pow(k + 1, 1.1);
        for (int k = 0; k < _cumulative.Length; k++) _cumulative[k] /= total;
    }

    /// <summary>Writes about <paramref name="bytes"/> bytes of text (whole lines, ending with a newline).</summary>
    public void Write(TextWriter writer, long bytes, ulong seed)
    {
        var random = new SplitMix64(seed);
        var line = new StringBuilder();
        long written = 0;
        bool sentenceStart = true;
        int sentenceLeft = 5 + random.Next(15);
        int lineWidth = 50 + random.Next(40);
        int paragraphLines = 3 + random.Next(8);
        while (written < bytes)
        {
            string word = _vocabulary[Sample(random.NextDouble())];
            if (sentenceStart) word = char.ToUpperInvariant(word[0]) + word[1..];
            sentenceStart = false;
            if (--sentenceLeft == 0)
            {
                word += random.Next(10) switch { 0 => "!", 1 => "?", _ => "." };
                sentenceStart = true;
                sentenceLeft = 5 + random.Next(15);
            }
            else if (random.Next(12) == 0) word += ",";
            if (line.Length > 0 && line.Length + 1 + word.Length > lineWidth)
            {
                written += Emit(writer, line);
                lineWidth = 50 + random.Next(40);
                if (--paragraphLines == 0)
                {
                    writer.Write('\n');
                    written++;
                    paragraphLines = 3 + random.Next(8);
                }
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) Emit(writer, line);
    }

    private static long Emit(TextWriter writer, StringBuilder line)
    {
        writer.Write(line);
        writer.Write('\n');
        long bytes = Encoding.UTF8.GetByteCount(line.ToString()) + 1;
        line.Clear();
        return bytes;
    }

    private int Sample(double u)
    {
        int i = Array.BinarySearch(_cumulative, u);
        return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
    }
}

namespace Spark.Serverless.IO;

/// <summary>
/// The common shape of numbers in data files, <c>-123.45</c>, parsed without the general number parser: with at most
/// 15 digits the digits are an exact double and so is the power of ten, and IEEE division rounds their quotient
/// correctly (Clinger's fast path), so the result is the one <see cref="double.Parse(string)"/> gives. Anything else
/// (exponents, spaces, more digits, thousands separators) is left to the general parser.
/// </summary>
internal static class DecimalText
{
    private const int MaxExactDigits = 15;

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Parses <c>[+-]digits[.digits]</c> (either side of the point may be empty, not both).</summary>
    /// <returns>False when the text has another shape or too many digits; the caller then uses the general parser.</returns>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }
        ulong digits = 0;
        int count = 0, fraction = -1;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                digits = digits * 10 + digit;
                count++;
                if (fraction >= 0) fraction++;
            }
            else if (text[i] == (byte)'.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }
        if (count is 0 or > MaxExactDigits) return false;
        double result = fraction > 0 ? digits / PowersOfTen[fraction] : digits;
        value = negative ? -result : result;
        return true;
    }
}

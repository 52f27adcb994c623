using System.Globalization;

namespace Spark.Serverless;

/// <summary>A value that may be missing, as the right side of a left outer join is (Spark's <c>Option</c>).</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct Optional<T> : IFormattable
{
    private readonly T _value;

    /// <summary>A present value.</summary>
    public Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>The missing value.</summary>
    public static Optional<T> None => default;

    /// <summary>Whether there is a value.</summary>
    public bool HasValue { get; }

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional value is missing.");

    /// <summary>The value, or <paramref name="fallback"/> when missing.</summary>
    public T GetValueOrDefault(T fallback) => HasValue ? _value : fallback;

    /// <summary>The value in invariant culture, or the empty string when missing.</summary>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        !HasValue ? "" : _value is IFormattable f ? f.ToString(format, formatProvider) : _value?.ToString() ?? "";
}

namespace Spark.Serverless.Bench.Generators;

/// <summary>
/// SplitMix64: a tiny random generator whose sequence for a seed never changes across .NET versions or machines,
/// which is what deterministic test data needs (System.Random's seeded sequence is not promised to stay).
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, <paramref name="max"/>).</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);
}

namespace Spark.Serverless.Planning;

/// <summary>Spark's combiner functions: how a shuffle folds the values of a key into one combined value.</summary>
/// <param name="CreateCombiner">Makes a combiner from a key's first value.</param>
/// <param name="MergeValue">Folds another value into a combiner (map side).</param>
/// <param name="MergeCombiners">Merges two combiners (reduce side, and map side when spilling).</param>
internal sealed record Aggregator<TValue, TCombiner>(
    Func<TValue, TCombiner> CreateCombiner,
    Func<TCombiner, TValue, TCombiner> MergeValue,
    Func<TCombiner, TCombiner, TCombiner> MergeCombiners)
{
    /// <summary>The functions' identities, for the plan signature.</summary>
    public string Describe() => string.Join(",", new Delegate[] { CreateCombiner, MergeValue, MergeCombiners }.Select(d => $"{d.Method.DeclaringType?.FullName}::{d.Method.Name}"));

    /// <summary>An aggregator that merges combiners that already crossed a shuffle.</summary>
    public Aggregator<TCombiner, TCombiner> OfCombiners() => new(static c => c, MergeCombiners, MergeCombiners);
}

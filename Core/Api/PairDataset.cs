using Spark.Serverless.Planning;

namespace Spark.Serverless;

/// <summary>Transformations of datasets of key-value pairs, like Spark's <c>PairRDDFunctions</c>.</summary>
public static class PairDataset
{
    /// <summary>
    /// Merges the values of each key with an associative and commutative function. Values are combined on the
    /// map side before the shuffle, so only one record per key and map task crosses it.
    /// </summary>
    /// <param name="source">The pairs.</param>
    /// <param name="reduce">Merges two values of the same key.</param>
    /// <param name="numPartitions">The number of reduce partitions; 0 uses the job's <c>shufflePartitions</c>.</param>
    public static Dataset<(TKey Key, TValue Value)> ReduceByKey<TKey, TValue>(
        this Dataset<(TKey Key, TValue Value)> source, Func<TValue, TValue, TValue> reduce, int numPartitions = 0)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reduce);
        ArgumentOutOfRangeException.ThrowIfNegative(numPartitions);
        var aggregator = new Aggregator<TValue, TValue>(v => v, reduce, reduce);
        return source.Derive(new ShuffledNode<TKey, TValue, TValue>(source.Node, aggregator, mapSideCombine: true, numPartitions, "reduceByKey"));
    }
}

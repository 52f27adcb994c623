using System.Numerics;
using Spark.Serverless.Execution;

namespace Spark.Serverless;

/// <summary>
/// A number that tasks add to and the job reports, like Spark's accumulator: each successful task's additions are
/// counted exactly once (a retried or duplicated attempt does not count twice); the total is in the job's status.
/// </summary>
/// <typeparam name="T"><see cref="long"/> or <see cref="double"/> (or another whole or floating-point number type).</typeparam>
public sealed class Accumulator<T> where T : struct, INumber<T>
{
    private static readonly bool IsFloatingPoint = typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(decimal) || typeof(T) == typeof(Half);

    internal Accumulator(string name)
    {
        Name = name;
    }

    /// <summary>The accumulator's name in the job's status.</summary>
    public string Name { get; }

    /// <summary>Whether it sums floating-point values.</summary>
    internal bool IsDouble => IsFloatingPoint;

    /// <summary>Adds to the running task's value.</summary>
    /// <exception cref="InvalidOperationException">Called outside a task.</exception>
    public void Add(T value)
    {
        var task = TaskContext.Current ?? throw new InvalidOperationException($"Accumulator '{Name}' can be added to only inside a task's code (a lambda).");
        if (IsFloatingPoint) task.Accumulate(Name, double.CreateChecked(value));
        else task.Accumulate(Name, long.CreateChecked(value));
    }
}

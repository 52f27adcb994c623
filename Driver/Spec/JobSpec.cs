using System.Globalization;
using System.Text.Json;

namespace Spark.Serverless.Driver.Spec;

/// <summary>A validated JSON job spec: name, settings, extra usings and steps in order.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Settings">Settings the spec set; the rest come from the driver's defaults.</param>
/// <param name="Usings">Namespaces the lambdas may use unqualified.</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record JobSpec(string Name, SpecSettings Settings, IReadOnlyList<string> Usings, IReadOnlyList<SpecStep> Steps);

/// <summary>The settings a spec may set; null means "the driver's default".</summary>
/// <param name="ShufflePartitions">Reduce partitions of shuffles that name none.</param>
/// <param name="MaxTaskFailures">Failures of one task before the job fails.</param>
/// <param name="Speculation">Whether slow tasks get speculative copies.</param>
/// <param name="MaxSplitBytes">The largest input split.</param>
/// <param name="DefaultParallelism">Partitions of range and parallelize that name none.</param>
/// <param name="MaxResultBytes">The largest collected result.</param>
public sealed record SpecSettings(int? ShufflePartitions, int? MaxTaskFailures, bool? Speculation, long? MaxSplitBytes, int? DefaultParallelism = null, long? MaxResultBytes = null)
{
    /// <summary>Spark's <c>spark.speculation.quantile</c>.</summary>
    public double? SpeculationQuantile { get; init; }

    /// <summary>Spark's <c>spark.speculation.multiplier</c>.</summary>
    public double? SpeculationMultiplier { get; init; }

    /// <summary>Spark's <c>spark.speculation.minTaskRuntime</c>, in milliseconds.</summary>
    public int? SpeculationMinTaskRuntimeMs { get; init; }

    /// <summary>Spark's <c>spark.speculation.interval</c>, in milliseconds.</summary>
    public int? SpeculationIntervalMs { get; init; }

    /// <summary>The first retry delay of a failed task.</summary>
    public int? RetryBackoffMs { get; init; }

    /// <summary>No settings given.</summary>
    public static SpecSettings None { get; } = new(null, null, null, null);
}

/// <summary>One step: an op, the steps it reads, and its op-specific fields (already type-checked).</summary>
public sealed record SpecStep
{
    /// <summary>The step's position in the spec, from 1.</summary>
    public required int Index { get; init; }

    /// <summary>The step's id, given or generated (<c>step{Index}</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Whether the spec gave the id.</summary>
    public required bool HasExplicitId { get; init; }

    /// <summary>The operation.</summary>
    public required SpecOp Op { get; init; }

    /// <summary>The step the op reads.</summary>
    public string? From { get; init; }

    /// <summary>The second input (join, union).</summary>
    public string? With { get; init; }

    /// <summary>Whether to persist the step's dataset.</summary>
    public bool Persist { get; init; }

    /// <summary>The name to persist it under, for later jobs.</summary>
    public string? PersistName { get; init; }

    /// <summary>The op-specific fields, by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>How error messages name the step: <c>step 'words' (flatMap)</c>.</summary>
    public string Describe() => HasExplicitId ? $"step '{Id}' ({Op.Name})" : $"step {Index} ({Op.Name})";

    /// <summary>A string field, or null.</summary>
    public string? Text(string field) => Fields.TryGetValue(field, out var v) ? v.GetString() : null;

    /// <summary>A whole-number field, or the fallback.</summary>
    public long Number(string field, long fallback = 0) => Fields.TryGetValue(field, out var v) ? v.GetInt64() : fallback;

    /// <summary>A boolean field, or the fallback.</summary>
    public bool Flag(string field, bool fallback = false) => Fields.TryGetValue(field, out var v) ? v.GetBoolean() : fallback;

    /// <summary>A count field (an int parameter) as C# source.</summary>
    public string IntLiteral(string field, long fallback = 0) => Number(field, fallback).ToString(CultureInfo.InvariantCulture);

    /// <summary>A whole-number field (a long parameter) as C# source.</summary>
    public string LongLiteral(string field, long fallback = 0) => Number(field, fallback).ToString(CultureInfo.InvariantCulture) + "L";
}

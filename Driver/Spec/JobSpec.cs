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
public sealed record SpecSettings(int? ShufflePartitions, int? MaxTaskFailures, bool? Speculation, long? MaxSplitBytes);

/// <summary>One step: an op and its arguments.</summary>
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

    /// <summary>A <c>container/prefix</c> path.</summary>
    public string? Path { get; init; }

    /// <summary>The op's C# lambda or expression.</summary>
    public string? Fn { get; init; }

    /// <summary><c>minPartitions</c> of a source.</summary>
    public int? MinPartitions { get; init; }

    /// <summary><c>numPartitions</c> of a shuffle.</summary>
    public int? NumPartitions { get; init; }

    /// <summary>Whether a save replaces an existing dataset.</summary>
    public bool Overwrite { get; init; }

    /// <summary>How error messages name the step: <c>step 'words' (flatMap)</c>.</summary>
    public string Describe() => HasExplicitId ? $"step '{Id}' ({Op.Name})" : $"step {Index} ({Op.Name})";
}

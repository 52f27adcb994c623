namespace Spark.Serverless.Driver.Spec;

/// <summary>What a step's op does to the plan.</summary>
public enum SpecOpKind
{
    /// <summary>Creates a dataset from storage.</summary>
    Source,

    /// <summary>Makes a dataset from another.</summary>
    Transformation,

    /// <summary>Makes the job compute a dataset and do something with it.</summary>
    Action,
}

/// <summary>An op of the JSON spec: its name (camelCase of the C# method), kind and fields.</summary>
/// <param name="Name">The op's name in specs.</param>
/// <param name="Kind">Source, transformation or action.</param>
/// <param name="Required">Fields a step must give besides <c>op</c> (and <c>from</c> when not a source).</param>
/// <param name="Optional">Fields a step may give.</param>
public sealed record SpecOp(string Name, SpecOpKind Kind, IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    /// <summary>Every op the driver knows, by name.</summary>
    public static readonly IReadOnlyDictionary<string, SpecOp> All = new[]
    {
        new SpecOp("textFile", SpecOpKind.Source, ["path"], ["minPartitions"]),
        new SpecOp("map", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("flatMap", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("filter", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("reduceByKey", SpecOpKind.Transformation, ["fn"], ["numPartitions"]),
        new SpecOp("saveAsTextFile", SpecOpKind.Action, ["path"], ["overwrite"]),
    }.ToDictionary(op => op.Name, StringComparer.Ordinal);

    /// <summary>Fields every step may carry.</summary>
    public static readonly IReadOnlyList<string> CommonFields = ["id", "op", "from"];
}

namespace Spark.Serverless.Driver.Spec;

/// <summary>What a step's op does to the plan.</summary>
public enum SpecOpKind
{
    /// <summary>Creates a dataset from storage or inline data.</summary>
    Source,

    /// <summary>Makes a dataset from another (<c>from</c>) and maybe a second (<c>with</c>).</summary>
    Transformation,

    /// <summary>Declares a variable lambdas can use: a broadcast or an accumulator.</summary>
    Variable,

    /// <summary>Makes the job compute a dataset and do something with it.</summary>
    Action,
}

/// <summary>The type a step field must have.</summary>
public enum SpecFieldType
{
    /// <summary>A <c>container/prefix</c> path.</summary>
    Path,

    /// <summary>C# source: a lambda or expression.</summary>
    Code,

    /// <summary>A whole number of 0 or more.</summary>
    Count,

    /// <summary>Any whole number.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A one-character string.</summary>
    Character,

    /// <summary>A JSON array.</summary>
    Array,

    /// <summary>A name: letters, digits, '_' or '-'.</summary>
    Name,
}

/// <summary>An op of the JSON spec: its name (camelCase of the C# method), kind and fields.</summary>
/// <param name="Name">The op's name in specs.</param>
/// <param name="Kind">What it does to the plan.</param>
/// <param name="Required">Fields a step must give besides <c>op</c> (and <c>from</c>/<c>with</c> as the kind needs).</param>
/// <param name="Optional">Fields a step may give.</param>
/// <param name="NeedsWith">Whether the op reads a second dataset named by <c>with</c>.</param>
/// <param name="NeedsFrom">Whether the op reads a dataset named by <c>from</c>.</param>
public sealed record SpecOp(string Name, SpecOpKind Kind, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, bool NeedsWith = false, bool NeedsFrom = true)
{
    /// <summary>Every op the driver knows, by name.</summary>
    public static readonly IReadOnlyDictionary<string, SpecOp> All = new[]
    {
        new SpecOp("textFile", SpecOpKind.Source, ["path"], ["minPartitions"], NeedsFrom: false),
        new SpecOp("csv", SpecOpKind.Source, ["path"], ["header", "delimiter", "multiLine", "minPartitions"], NeedsFrom: false),
        new SpecOp("jsonLines", SpecOpKind.Source, ["path"], ["minPartitions"], NeedsFrom: false),
        new SpecOp("range", SpecOpKind.Source, ["end"], ["start", "step", "numSlices"], NeedsFrom: false),
        new SpecOp("parallelize", SpecOpKind.Source, ["items"], ["numSlices"], NeedsFrom: false),
        new SpecOp("persisted", SpecOpKind.Source, ["name"], [], NeedsFrom: false),
        new SpecOp("map", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("flatMap", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("filter", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("mapPartitions", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("keyBy", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("mapValues", SpecOpKind.Transformation, ["fn"], []),
        new SpecOp("union", SpecOpKind.Transformation, [], [], NeedsWith: true),
        new SpecOp("distinct", SpecOpKind.Transformation, [], ["numPartitions"]),
        new SpecOp("reduceByKey", SpecOpKind.Transformation, ["fn"], ["numPartitions"]),
        new SpecOp("groupByKey", SpecOpKind.Transformation, [], ["numPartitions"]),
        new SpecOp("aggregateByKey", SpecOpKind.Transformation, ["zero", "seqOp", "combOp"], ["numPartitions"]),
        new SpecOp("join", SpecOpKind.Transformation, [], ["numPartitions", "broadcast"], NeedsWith: true),
        new SpecOp("leftOuterJoin", SpecOpKind.Transformation, [], ["numPartitions"], NeedsWith: true),
        new SpecOp("sortBy", SpecOpKind.Transformation, ["key"], ["ascending", "numPartitions"]),
        new SpecOp("repartition", SpecOpKind.Transformation, ["numPartitions"], []),
        new SpecOp("broadcast", SpecOpKind.Variable, [], ["dictionary"]),
        new SpecOp("longAccumulator", SpecOpKind.Variable, [], [], NeedsFrom: false),
        new SpecOp("doubleAccumulator", SpecOpKind.Variable, [], [], NeedsFrom: false),
        new SpecOp("saveAsTextFile", SpecOpKind.Action, ["path"], ["overwrite"]),
        new SpecOp("saveAsJsonLines", SpecOpKind.Action, ["path"], ["overwrite"]),
        new SpecOp("collect", SpecOpKind.Action, [], []),
        new SpecOp("count", SpecOpKind.Action, [], []),
        new SpecOp("take", SpecOpKind.Action, ["n"], []),
        new SpecOp("countByKey", SpecOpKind.Action, [], []),
    }.ToDictionary(op => op.Name, StringComparer.Ordinal);

    /// <summary>Fields every step may carry.</summary>
    public static readonly IReadOnlyList<string> CommonFields = ["id", "op", "from", "with", "persist"];

    /// <summary>The type of every op-specific field.</summary>
    public static readonly IReadOnlyDictionary<string, SpecFieldType> FieldTypes = new Dictionary<string, SpecFieldType>
    {
        ["path"] = SpecFieldType.Path,
        ["fn"] = SpecFieldType.Code,
        ["key"] = SpecFieldType.Code,
        ["zero"] = SpecFieldType.Code,
        ["seqOp"] = SpecFieldType.Code,
        ["combOp"] = SpecFieldType.Code,
        ["minPartitions"] = SpecFieldType.Count,
        ["numPartitions"] = SpecFieldType.Count,
        ["numSlices"] = SpecFieldType.Count,
        ["n"] = SpecFieldType.Count,
        ["start"] = SpecFieldType.Integer,
        ["end"] = SpecFieldType.Integer,
        ["step"] = SpecFieldType.Integer,
        ["header"] = SpecFieldType.Boolean,
        ["multiLine"] = SpecFieldType.Boolean,
        ["overwrite"] = SpecFieldType.Boolean,
        ["ascending"] = SpecFieldType.Boolean,
        ["broadcast"] = SpecFieldType.Boolean,
        ["dictionary"] = SpecFieldType.Boolean,
        ["delimiter"] = SpecFieldType.Character,
        ["items"] = SpecFieldType.Array,
        ["name"] = SpecFieldType.Name,
    };

    /// <summary>Whether the op's steps make a dataset (and so may be <c>from</c>, <c>with</c> or <c>persist</c>ed).</summary>
    public bool MakesDataset => Kind is SpecOpKind.Source or SpecOpKind.Transformation;
}

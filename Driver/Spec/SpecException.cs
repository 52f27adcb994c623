namespace Spark.Serverless.Driver.Spec;

/// <summary>A submission was rejected: every problem found, each naming what is wrong and where.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public SpecException(IReadOnlyList<SpecProblem> problems)
        : base(problems.Count == 1 ? problems[0].Message : $"{problems.Count} problems: " + string.Join("; ", problems.Select(p => p.Message)))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception from problems given as sentences only.</summary>
    public SpecException(IReadOnlyList<string> errors) : this([.. errors.Select(e => new SpecProblem(e))]) { }

    /// <summary>Creates the exception from one problem.</summary>
    public SpecException(string error) : this([error]) { }

    /// <summary>The problems, one sentence each.</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Select(p => p.Message)];

    /// <summary>The problems, with where they are when that is known.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; }
}

/// <summary>One problem of a spec, and where it is, as far as known.</summary>
/// <param name="Message">The sentence, naming the step and field.</param>
/// <param name="Step">The step's number in <c>steps</c> (1-based, as the messages count them).</param>
/// <param name="Field">The step's field (<c>fn</c>, <c>path</c>…).</param>
/// <param name="Line">The line inside a C# field (1-based).</param>
/// <param name="Column">The column inside a C# field (1-based).</param>
/// <param name="DocumentLine">The line in the submitted JSON (1-based).</param>
/// <param name="DocumentColumn">The column in the submitted JSON (1-based).</param>
public sealed record SpecProblem(string Message, int? Step = null, string? Field = null, int? Line = null, int? Column = null,
    int? DocumentLine = null, int? DocumentColumn = null);

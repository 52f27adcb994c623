namespace Spark.Serverless.Driver.Spec;

/// <summary>A submission was rejected: every problem found, each naming what is wrong and where.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception from one or more problems.</summary>
    public SpecException(IReadOnlyList<string> errors)
        : base(errors.Count == 1 ? errors[0] : $"{errors.Count} problems: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception from one problem.</summary>
    public SpecException(string error) : this([error]) { }

    /// <summary>The problems, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }
}

namespace Spark.Serverless.Manager;

/// <summary>The manager's settings (configuration section <c>Manager</c>; environment <c>Manager__Name</c>).</summary>
public sealed class ManagerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Manager";

    /// <summary>This manager's id; its executors are named after it.</summary>
    /// <value>Default <c>mgr-{process id}</c>.</value>
    public string Id { get; set; } = $"mgr-{Environment.ProcessId}";

    /// <summary>How many executor processes to keep running.</summary>
    /// <value>Default 2.</value>
    public int Executors { get; set; } = 2;

    /// <summary>The executor to start: its <c>.dll</c> (run with <c>dotnet</c>) or an executable.</summary>
    /// <value>Default: <c>Spark.Serverless.ExecutorFunction.dll</c> next to the manager's own build output.</value>
    public string? ExecutorPath { get; set; }

    /// <summary>How long a stopping executor may drain before it is killed.</summary>
    /// <value>Default 60 seconds.</value>
    public int StopTimeoutSeconds { get; set; } = 60;

    /// <summary>Checks every field and names the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A field is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id)) throw new InvalidOperationException("Manager:Id is empty.");
        if (Executors is < 0 or > 256) throw new InvalidOperationException($"Manager:Executors is {Executors}; expected 0 to 256.");
        if (StopTimeoutSeconds < 0) throw new InvalidOperationException($"Manager:StopTimeoutSeconds is {StopTimeoutSeconds}; expected 0 or more.");
        if (ExecutorPath is not null && !File.Exists(ExecutorPath))
            throw new InvalidOperationException($"Manager:ExecutorPath '{ExecutorPath}' does not exist.");
    }

    /// <summary>The executor path, defaulted to the sibling build output.</summary>
    /// <exception cref="InvalidOperationException">No executor is found.</exception>
    public string ResolveExecutorPath()
    {
        if (ExecutorPath is not null) return ExecutorPath;
        // artifacts/bin/Spark.Serverless.Manager/<config>/ -> artifacts/bin/Spark.Serverless.ExecutorFunction/<config>/
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string candidate = Path.Combine(own.Parent!.Parent!.FullName, "Spark.Serverless.ExecutorFunction", own.Name, "Spark.Serverless.ExecutorFunction.dll");
        return File.Exists(candidate) ? candidate
            : throw new InvalidOperationException($"No executor at {candidate}; build it or set Manager:ExecutorPath.");
    }
}

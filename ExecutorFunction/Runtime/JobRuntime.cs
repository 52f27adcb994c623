using Spark.Serverless.Loading;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>A job as an executor holds it: the plan, and the application loaded and bound to it.</summary>
internal sealed class JobRuntime(JobPlan plan, LoadedJob loaded) : IDisposable
{
    /// <summary>The driver's plan.</summary>
    public JobPlan Plan => plan;

    /// <summary>The executor's own build of the plan's nodes, by id.</summary>
    public IReadOnlyList<PlanNode> Nodes => loaded.Context.Nodes;

    /// <summary>When a task of this job last used it.</summary>
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Unloads the application.</summary>
    public void Dispose() => loaded.Dispose();
}

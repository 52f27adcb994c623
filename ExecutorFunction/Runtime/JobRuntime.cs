using System.Collections.Concurrent;
using Spark.Serverless.Execution;
using Spark.Serverless.Loading;
using Spark.Serverless.Planning;

namespace Spark.Serverless.Executor.Runtime;

/// <summary>A job as an executor holds it: the plan, the application loaded and bound to it, and what its tasks share.</summary>
internal sealed class JobRuntime(JobPlan plan, LoadedJob loaded, TaskEnvironment environment) : IDisposable
{
    /// <summary>The driver's plan.</summary>
    public JobPlan Plan => plan;

    /// <summary>The executor's own build of the plan's nodes, by id.</summary>
    public IReadOnlyList<PlanNode> Nodes => loaded.Context.Nodes;

    /// <summary>The tasks' memory budget, spill folder and shared values (range bounds, broadcasts).</summary>
    public TaskEnvironment Environment => environment;

    /// <summary>When a task of this job last used it.</summary>
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>A fresh environment for a job.</summary>
    public static TaskEnvironment NewEnvironment(ExecutorOptions options) =>
        new(options.TaskMemoryBudgetBytes, options.ExecutorSpillDirectory, new ConcurrentDictionary<string, Lazy<object>>());

    /// <summary>Unloads the application.</summary>
    public void Dispose()
    {
        environment.Shared.Clear();
        loaded.Dispose();
    }
}

using System.Security.Cryptography;
using System.Text;
using Spark.Serverless.IO;

namespace Spark.Serverless.Planning;

/// <summary>
/// Turns a built <see cref="JobContext"/> into a <see cref="JobPlan"/> (driver side) and checks that an
/// executor's own build of the same application matches it (executor side).
/// </summary>
internal static class JobPlanner
{
    /// <summary>SHA-256 (hex) of every node's signature, in id order.</summary>
    public static string ComputeHash(JobContext context)
    {
        var signature = new StringBuilder();
        foreach (var node in context.Nodes) node.AppendSignature(signature);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signature.ToString())));
    }

    /// <summary>The source nodes whose splits the driver must plan.</summary>
    public static IEnumerable<(int NodeId, ISourceNode Source)> Sources(JobContext context) =>
        context.Nodes.OfType<ISourceNode>().Select(s => (((PlanNode)s).Id, s));

    /// <summary>Plans the job: binds partition counts to the listed splits, cuts stages and records the actions.</summary>
    /// <exception cref="InvalidOperationException">The job declares no action.</exception>
    public static JobPlan Plan(JobContext context, string jobId, string name, string appBlob, string appType, JobSettings settings,
        IReadOnlyDictionary<int, IReadOnlyList<InputSplit>> sources)
    {
        if (context.Actions.Count == 0)
            throw new InvalidOperationException("The job declares no action: nothing would run. End it with an action such as saveAsTextFile.");
        Bind(context, new PlanBindings(sources, settings.ShufflePartitions));
        var stages = CutStages(context);
        var actions = context.Actions.Select(a => ((IResultTask)a).Describe(stages.Single(s => s.Kind == StageKind.Result && s.NodeId == a.Id).Id)).ToList();
        return new JobPlan
        {
            JobId = jobId,
            Name = name,
            PlanHash = ComputeHash(context),
            AppBlob = appBlob,
            AppType = appType,
            Settings = settings,
            Nodes = context.Nodes.Select(n => new PlanNodeInfo(n.Id, n.Op, n.Name, n.Parents.Select(p => p.Id).ToList(), n.NumPartitions)).ToList(),
            Stages = stages,
            Sources = sources,
            Actions = actions,
        };
    }

    /// <summary>Binds an executor's own build to the driver's plan, refusing one whose plan differs.</summary>
    /// <exception cref="PlanMismatchException">The hashes or node counts differ.</exception>
    public static void BindToPlan(JobContext context, JobPlan plan)
    {
        string hash = ComputeHash(context);
        if (hash != plan.PlanHash || context.Nodes.Count != plan.Nodes.Count)
            throw new PlanMismatchException(
                $"The application built a different plan on this executor (hash {hash[..12]}, {context.Nodes.Count} nodes) " +
                $"than on the driver (hash {plan.PlanHash[..12]}, {plan.Nodes.Count} nodes): Build must be deterministic.");
        foreach (var node in context.Nodes) node.NumPartitions = plan.Nodes[node.Id].NumPartitions;
    }

    /// <summary>Sets every node's partition count; parents come before children in id order.</summary>
    private static void Bind(JobContext context, PlanBindings bindings)
    {
        foreach (var node in context.Nodes) node.NumPartitions = node.ResolvePartitions(bindings);
    }

    /// <summary>
    /// Cuts the plan into stages at shuffles. Map stages are created before the stages that read them, so ids are
    /// topological; each result stage also waits for the previous one, so actions run in the order declared.
    /// </summary>
    internal static List<StageInfo> CutStages(JobContext context)
    {
        var stages = new List<StageInfo>();
        var shuffleStages = new Dictionary<int, int>();

        int StageForShuffle(PlanNode shuffle)
        {
            if (shuffleStages.TryGetValue(shuffle.Id, out int existing)) return existing;
            var rdd = shuffle.Parents[0];
            var parents = ParentStages(rdd);
            int id = stages.Count;
            stages.Add(new StageInfo(id, StageKind.ShuffleMap, shuffle.Id, rdd.Id, rdd.NumPartitions, parents, $"{rdd.Op} at {rdd.Label}"));
            shuffleStages[shuffle.Id] = id;
            return id;
        }

        List<int> ParentStages(PlanNode rdd)
        {
            var found = new SortedSet<int>();
            var seen = new HashSet<int>();
            var pending = new Stack<PlanNode>();
            pending.Push(rdd);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (!seen.Add(node.Id)) continue;
                if (node.IsShuffle)
                {
                    found.Add(StageForShuffle(node));
                    continue;
                }
                foreach (var parent in node.Parents) pending.Push(parent);
            }
            return [.. found];
        }

        int? previousResult = null;
        foreach (var action in context.Actions)
        {
            var rdd = action.Parents[0];
            var parents = ParentStages(rdd);
            if (previousResult is int previous) parents = [.. parents.Append(previous).Distinct().Order()];
            int id = stages.Count;
            stages.Add(new StageInfo(id, StageKind.Result, action.Id, rdd.Id, rdd.NumPartitions, parents, $"{action.Op} at {rdd.Label}"));
            previousResult = id;
        }
        return stages;
    }
}

/// <summary>An executor's build of the application differs from the driver's plan.</summary>
public sealed class PlanMismatchException(string message) : Exception(message);

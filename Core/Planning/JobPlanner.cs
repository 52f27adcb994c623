using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Spark.Serverless.Nodes;

namespace Spark.Serverless.Planning;

/// <summary>
/// Turns a built <see cref="JobContext"/> into a <see cref="JobPlan"/> (driver side) and checks that an
/// executor's own build of the same application matches it (executor side).
/// </summary>
internal static class JobPlanner
{
    /// <summary>SHA-256 (hex) of every node's signature, in id order.</summary>
    public static string ComputeHash(JobContext context) => Hash(Signature(context.Nodes));

    /// <summary>The source nodes whose splits the driver must plan by listing blobs.</summary>
    public static IEnumerable<(int NodeId, ISourceNode Source)> Sources(JobContext context) =>
        context.Nodes.OfType<ISourceNode>().Select(s => (((PlanNode)s).Id, s));

    /// <summary>The nodes that read a persisted dataset by name.</summary>
    public static IEnumerable<(int NodeId, IPersistedSource Source)> PersistedSources(JobContext context) =>
        context.Nodes.OfType<IPersistedSource>().Select(s => (((PlanNode)s).Id, s));

    /// <summary>Plans the job: binds partition counts, cuts stages, places persisted data, records actions and accumulators.</summary>
    /// <exception cref="InvalidOperationException">The job declares no action, or two accumulators share a name.</exception>
    public static JobPlan Plan(JobContext context, string jobId, string name, string appBlob, string appType, PlanBindings bindings,
        IReadOnlyDictionary<string, string>? dependencies = null)
    {
        if (!context.Actions.Any(a => a is not IBroadcastNode))
            throw new InvalidOperationException("The job declares no action: nothing would run. End it with an action such as saveAsTextFile, collect or count.");
        var duplicate = context.Accumulators.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two accumulators are named '{duplicate.Key}'.");
        foreach (var node in context.Nodes) node.NumPartitions = node.ResolvePartitions(bindings);
        var stages = CutStages(context);
        var actions = context.Actions.Select(a => ((IResultTask)a).Describe(stages.Single(s => s.Kind is StageKind.Result or StageKind.Broadcast && s.NodeId == a.Id).Id)).ToList();
        return new JobPlan
        {
            JobId = jobId,
            Name = name,
            PlanHash = ComputeHash(context),
            AppBlob = appBlob,
            AppType = appType,
            AppDependencies = dependencies ?? new Dictionary<string, string>(),
            Settings = bindings.Settings,
            Nodes = context.Nodes.Select(n => new PlanNodeInfo(n.Id, n.Op, n.Name, n.Parents.Select(p => p.Id).ToList(), n.NumPartitions)).ToList(),
            Stages = stages,
            Sources = bindings.Sources,
            PersistedInputs = bindings.PersistedInputs,
            Persisted = context.Nodes.OfType<IPersistNode>().ToDictionary(p => ((PlanNode)p).Id, p => DescribePersist(p, jobId, bindings)),
            Actions = actions,
            Accumulators = context.Accumulators,
        };
    }

    /// <summary>Binds an executor's own build to the driver's plan, refusing one whose plan differs.</summary>
    /// <exception cref="PlanMismatchException">The hashes or node counts differ.</exception>
    public static void BindToPlan(JobContext context, JobPlan plan, Storage.SparkStorage storage)
    {
        string hash = ComputeHash(context);
        if (hash != plan.PlanHash || context.Nodes.Count != plan.Nodes.Count)
            throw new PlanMismatchException(
                $"The application built a different plan on this executor (hash {hash[..12]}, {context.Nodes.Count} nodes) " +
                $"than on the driver (hash {plan.PlanHash[..12]}, {plan.Nodes.Count} nodes): Build must be deterministic.");
        foreach (var node in context.Nodes) node.NumPartitions = plan.Nodes[node.Id].NumPartitions;
        var binding = new RuntimeBinding(storage, plan);
        foreach (var node in context.Nodes.OfType<IRuntimeBound>()) node.Bind(binding);
    }

    /// <summary>
    /// Cuts the plan into stages at shuffles. Parents are created before children, so ids are topological. A range
    /// shuffle gets a sampling stage first. Actions (broadcasts included) run one after another, as Spark runs jobs:
    /// every stage first needed by an action waits for the previous action's stage, so a later action finds what an
    /// earlier one persisted or broadcast.
    /// </summary>
    internal static List<StageInfo> CutStages(JobContext context)
    {
        var stages = new List<StageInfo>();
        var shuffleStages = new Dictionary<int, int>();
        int? previousAction = null;

        int Add(StageKind kind, PlanNode node, PlanNode rdd, IEnumerable<int> parents, string name)
        {
            int id = stages.Count;
            var all = previousAction is int barrier ? parents.Append(barrier) : parents;
            stages.Add(new StageInfo(id, kind, node.Id, rdd.Id, rdd.NumPartitions, [.. all.Distinct().Order()], name));
            return id;
        }

        int StageForShuffle(PlanNode exchange)
        {
            if (shuffleStages.TryGetValue(exchange.Id, out int existing)) return existing;
            var rdd = exchange.Parents[0];
            var parents = ParentStages(rdd);
            if (((IShuffleMapTask)exchange).NeedsSample)
                parents.Add(Add(StageKind.Sample, exchange, rdd, parents, $"sample for {exchange.Op} at {exchange.Label}"));
            int id = Add(StageKind.ShuffleMap, exchange, rdd, parents, $"{rdd.Op} at {rdd.Label}");
            shuffleStages[exchange.Id] = id;
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

        foreach (var action in context.Actions)
        {
            var rdd = action.Parents[0];
            var parents = ParentStages(rdd);
            previousAction = Add(((IResultTask)action).StageKind, action, rdd, parents, $"{action.Op} at {rdd.Label}");
        }
        return stages;
    }

    /// <summary>
    /// Unnamed persisted data lives with the job; named data lives under <c>persist/{name}/{lineage}</c>, where the
    /// lineage hash covers the node's ancestry and the exact input blobs (ETags), so a later job with the same
    /// lineage reuses the parts and a changed input or computation never reads stale ones.
    /// </summary>
    private static PersistInfo DescribePersist(IPersistNode persist, string jobId, PlanBindings bindings)
    {
        var node = (PlanNode)persist;
        string type = persist.ElementType.FullName ?? persist.ElementType.Name;
        if (persist.PersistName is null)
            return new PersistInfo($"jobs/{jobId}/persist/{node.Id}", null, type, TypeNames.CSharp(persist.ElementType));
        var ancestry = Ancestors(node).OrderBy(n => n.Id).ToList();
        var lineage = new StringBuilder(Signature(ancestry));
        foreach (var source in ancestry.Where(a => bindings.Sources.ContainsKey(a.Id)))
            foreach (var split in bindings.Sources[source.Id])
                lineage.Append(CultureInfo.InvariantCulture, $"{split.Container}/{split.Blob}@{split.ETag}:{split.Start}+{split.Length}\n");
        foreach (var input in ancestry.Where(a => bindings.PersistedInputs.ContainsKey(a.Id)))
            lineage.Append(bindings.PersistedInputs[input.Id].Folder).Append('\n');
        return new PersistInfo($"persist/{persist.PersistName}/{Hash(lineage.ToString())[..16]}", persist.PersistName, type, TypeNames.CSharp(persist.ElementType));
    }

    private static IEnumerable<PlanNode> Ancestors(PlanNode node)
    {
        var seen = new HashSet<int>();
        var pending = new Stack<PlanNode>([node]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Id)) continue;
            yield return next;
            foreach (var parent in next.Parents) pending.Push(parent);
        }
    }

    private static string Signature(IEnumerable<PlanNode> nodes)
    {
        var signature = new StringBuilder();
        foreach (var node in nodes) node.AppendSignature(signature);
        return signature.ToString();
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>An executor's build of the application differs from the driver's plan.</summary>
public sealed class PlanMismatchException(string message) : Exception(message);

namespace Spark.Serverless.Manager.Scaling;

/// <summary>Spark's dynamic-allocation knobs.</summary>
/// <param name="MinExecutors">The fewest executors (0: scale to zero). <c>spark.dynamicAllocation.minExecutors</c>.</param>
/// <param name="MaxExecutors">The most executors. <c>spark.dynamicAllocation.maxExecutors</c>.</param>
/// <param name="SchedulerBacklogTimeout">How long a backlog must last before the first executors are added. <c>schedulerBacklogTimeout</c>.</param>
/// <param name="SustainedSchedulerBacklogTimeout">How long a continuing backlog waits between further (doubling) additions. <c>sustainedSchedulerBacklogTimeout</c>.</param>
/// <param name="ExecutorIdleTimeout">How long an executor may sit idle before it is removed. <c>executorIdleTimeout</c>.</param>
/// <param name="SlotsPerExecutor">Tasks one executor runs at once. <c>spark.executor.cores</c>.</param>
public sealed record ScaleKnobs(int MinExecutors, int MaxExecutors, TimeSpan SchedulerBacklogTimeout, TimeSpan SustainedSchedulerBacklogTimeout, TimeSpan ExecutorIdleTimeout, int SlotsPerExecutor);

/// <summary>An executor as the rule sees it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Starting">Started but not heartbeating yet.</param>
/// <param name="Running">Tasks it runs now.</param>
/// <param name="IdleSince">Since when it has run nothing (null while busy or starting).</param>
/// <param name="Draining">Already told to stop.</param>
public sealed record ExecutorView(string Id, bool Starting, int Running, DateTimeOffset? IdleSince, bool Draining);

/// <summary>What the rule decides from: the time, the task queue's depth, running tasks, and the pool.</summary>
/// <param name="Now">The time of the decision.</param>
/// <param name="QueueDepth">Messages on the task queue, including those executors hold while running them.</param>
/// <param name="RunningTasks">
/// Tasks running on every live executor, this manager's or another's: their messages are in the depth but need no
/// new slot.
/// </param>
/// <param name="Executors">This manager's pool.</param>
public sealed record ScaleInputs(DateTimeOffset Now, int QueueDepth, int RunningTasks, IReadOnlyList<ExecutorView> Executors)
{
    /// <summary>
    /// Visible messages seen by a peek (at most <see cref="ScaleRule.PeekLimit"/>), when known. The depth also counts
    /// invisible messages: those executors hold, but also delayed retries and the leases of dead executors' tasks,
    /// which wait for no slot. Below the limit the peek is the exact backlog; at it, the depth is the best guess.
    /// </summary>
    public int? VisibleMessages { get; init; }

    /// <summary>Tasks waiting for a slot.</summary>
    public int Pending => VisibleMessages is int visible && visible < ScaleRule.PeekLimit
        ? visible
        : Math.Max(VisibleMessages ?? 0, QueueDepth - RunningTasks);
}

/// <summary>What the rule remembers between decisions (Spark's allocation manager state).</summary>
/// <param name="BacklogSince">Since when tasks have been waiting (null: no backlog).</param>
/// <param name="LastAddAt">When executors were last added for the current backlog.</param>
/// <param name="NextAdd">How many to add next time (doubles while the backlog lasts).</param>
public sealed record ScaleState(DateTimeOffset? BacklogSince, DateTimeOffset? LastAddAt, int NextAdd)
{
    /// <summary>No backlog yet.</summary>
    public static ScaleState Initial { get; } = new(null, null, 1);
}

/// <summary>A decision: executors to start and to stop, why, and the new state.</summary>
/// <param name="State">The state for the next decision.</param>
/// <param name="Start">Executors to start.</param>
/// <param name="Stop">Executors to stop (SIGTERM; they drain).</param>
/// <param name="Pending">Tasks waiting for a slot.</param>
/// <param name="Needed">Executors the queued and running tasks would fill (capped by the maximum).</param>
/// <param name="Reason">Why, in a sentence.</param>
public sealed record ScaleDecision(ScaleState State, int Start, IReadOnlyList<string> Stop, int Pending, int Needed, string Reason);

/// <summary>
/// The scale rule, a pure function: while tasks wait longer than the backlog timeout, add executors in doubling
/// steps (1, 2, 4…) up to what the waiting and running tasks need and the maximum; never remove one while a backlog
/// lasts; remove executors idle longer than the idle timeout, down to the minimum (0 means scale to zero).
/// </summary>
public static class ScaleRule
{
    /// <summary>The most messages one peek of a queue returns.</summary>
    public const int PeekLimit = 32;

    /// <summary>Decides what to do now.</summary>
    public static ScaleDecision Decide(ScaleState state, ScaleInputs inputs, ScaleKnobs knobs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(knobs);
        var active = inputs.Executors.Where(e => !e.Draining).ToList();
        int pending = inputs.Pending;
        // What this pool should hold: its own running tasks plus every waiting one (another manager may take some;
        // each scales as if alone, and each stays within its own maximum).
        int ownRunning = active.Sum(e => e.Running);
        int needed = Math.Min(knobs.MaxExecutors, (pending + ownRunning + knobs.SlotsPerExecutor - 1) / knobs.SlotsPerExecutor);

        if (active.Count < knobs.MinExecutors)
            return new ScaleDecision(state, knobs.MinExecutors - active.Count, [], pending, needed, $"below minExecutors ({knobs.MinExecutors})");

        if (pending > 0)
        {
            var since = state.BacklogSince ?? inputs.Now;
            bool due = state.LastAddAt is { } last
                ? inputs.Now - last >= knobs.SustainedSchedulerBacklogTimeout
                : inputs.Now - since >= knobs.SchedulerBacklogTimeout;
            int room = Math.Max(0, needed - active.Count);
            if (!due || room == 0)
                return new ScaleDecision(state with { BacklogSince = since }, 0, [], pending, needed,
                    room == 0 ? $"backlog of {pending}, but the pool already has what the tasks need (or the maximum)" : $"backlog of {pending} for {(inputs.Now - since).TotalSeconds:0.#} s");
            int add = Math.Min(state.NextAdd, room);
            // Spark resets the step once the target reaches what is needed; otherwise it doubles.
            int next = add == room ? 1 : state.NextAdd * 2;
            return new ScaleDecision(new ScaleState(since, inputs.Now, next), add, [], pending, needed, $"backlog of {pending}: adding {add}");
        }

        var idle = active
            .Where(e => !e.Starting && e.Running == 0 && e.IdleSince is { } s && inputs.Now - s >= knobs.ExecutorIdleTimeout)
            .OrderBy(e => e.IdleSince)
            .Take(Math.Max(0, active.Count - knobs.MinExecutors))
            .Select(e => e.Id)
            .ToList();
        return new ScaleDecision(ScaleState.Initial, 0, idle, 0, needed,
            idle.Count > 0 ? $"{idle.Count} idle for {knobs.ExecutorIdleTimeout.TotalSeconds:0.#} s or more: removing" : "no backlog");
    }
}

using Spark.Serverless.Messaging;

namespace Spark.Serverless.Cluster;

/// <summary>Where an executor is in its life.</summary>
public enum ExecutorStatus
{
    /// <summary>Receiving and running tasks.</summary>
    Alive,

    /// <summary>Told to stop: finishing its running tasks, receiving no more.</summary>
    Draining,

    /// <summary>Stopped cleanly.</summary>
    Stopped,

    /// <summary>Stopped heartbeating, or its process died: its running tasks are lost.</summary>
    Lost,
}

/// <summary>
/// <c>executors/{id}.json</c>: what an executor says about itself every few seconds. Managers size their pools from
/// it; drivers recover the tasks of an executor that stopped saying it.
/// </summary>
public sealed record ExecutorHeartbeat
{
    /// <summary>The executor's id.</summary>
    public required string ExecutorId { get; init; }

    /// <summary>The manager that started it, if any.</summary>
    public string? ManagerId { get; init; }

    /// <summary>The machine it runs on.</summary>
    public required string Host { get; init; }

    /// <summary>Its process id.</summary>
    public required int ProcessId { get; init; }

    /// <summary>Tasks it runs at once.</summary>
    public required int Slots { get; init; }

    /// <summary>The tasks it is running.</summary>
    public required IReadOnlyList<TaskMessage> Running { get; init; }

    /// <summary>Since when it has run nothing (null while busy).</summary>
    public DateTimeOffset? IdleSince { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it last wrote this heartbeat.</summary>
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Where it is in its life.</summary>
    public required ExecutorStatus Status { get; init; }

    /// <summary>Tasks it has finished (committed or failed).</summary>
    public long TasksFinished { get; init; }

    /// <summary>Whether it should be considered gone: it said so, or it has not been seen for <paramref name="timeout"/>.</summary>
    public bool IsGone(DateTimeOffset now, TimeSpan timeout) =>
        Status is ExecutorStatus.Stopped or ExecutorStatus.Lost || now - LastSeen > timeout;
}

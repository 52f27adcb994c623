using System.Collections.Concurrent;
using Spark.Serverless.Messaging;

namespace Spark.Serverless.Executor.Cluster;

/// <summary>The tasks this executor is running now, for its heartbeat.</summary>
internal sealed class RunningTasks(TimeProvider time)
{
    private readonly ConcurrentDictionary<TaskMessage, byte> _running = new();
    private DateTimeOffset? _idleSince = time.GetUtcNow();
    private long _finished;

    /// <summary>The running tasks.</summary>
    public IReadOnlyList<TaskMessage> Snapshot => [.. _running.Keys];

    /// <summary>Since when nothing has run; null while something runs.</summary>
    public DateTimeOffset? IdleSince => _running.IsEmpty ? _idleSince : null;

    /// <summary>Tasks finished so far.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>Marks a task running until the returned handle is disposed.</summary>
    public IDisposable Track(TaskMessage task)
    {
        _running[task] = 0;
        return new Handle(this, task);
    }

    private sealed class Handle(RunningTasks owner, TaskMessage task) : IDisposable
    {
        public void Dispose()
        {
            owner._running.TryRemove(task, out _);
            Interlocked.Increment(ref owner._finished);
            if (owner._running.IsEmpty) owner._idleSince = owner.Now;
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();
}

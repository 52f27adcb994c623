namespace Spark.Serverless.Driver.Orchestration;

/// <summary>
/// Wakes this driver's idle control loop when this driver itself has just queued an event (a submission, a
/// cancel), so a job's first step does not wait out the loop's idle poll. Other drivers still find the event by polling.
/// </summary>
public sealed class ControlSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Pulse"/>; take it before looking at the queue, so a pulse in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes whoever waits on <see cref="Next"/>.</summary>
    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

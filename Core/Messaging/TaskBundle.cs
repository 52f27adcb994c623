using System.Text.Json;

namespace Spark.Serverless.Messaging;

/// <summary>
/// Several tasks of one stage attempt in one task-queue message. The driver bundles a stage's tasks once they have
/// shown themselves short (a few milliseconds of work against several storage requests of messaging each); the
/// executor runs them in one slot, a few at a time, and reports them in one <see cref="TaskReports"/>. Each task
/// still commits on its own marker, so a redelivered bundle reruns only what did not commit.
/// </summary>
/// <param name="Tasks">The tasks, all of one job, stage and stage attempt.</param>
public sealed record TaskBundle(IReadOnlyList<TaskMessage> Tasks)
{
    /// <summary>
    /// Reads a task-queue message body: a <see cref="TaskBundle"/> (an object with <c>tasks</c>) or a single
    /// <see cref="TaskMessage"/>, as the tasks it holds.
    /// </summary>
    /// <exception cref="JsonException">The body is neither.</exception>
    public static IReadOnlyList<TaskMessage> Read(BinaryData body)
    {
        using var document = JsonDocument.Parse(body.ToMemory());
        if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tasks", out _))
        {
            var bundle = document.RootElement.Deserialize<TaskBundle>(SparkJson.Options) ?? throw new JsonException("The task bundle is null.");
            if (bundle.Tasks is not { Count: > 0 } tasks || tasks.Any(t => t is null)) throw new JsonException("A task bundle needs one or more tasks.");
            if (tasks.Any(t => t.JobId != tasks[0].JobId || t.StageId != tasks[0].StageId || t.StageAttempt != tasks[0].StageAttempt))
                throw new JsonException("A task bundle's tasks must all be of one job, stage and stage attempt.");
            return tasks;
        }
        return [document.RootElement.Deserialize<TaskMessage>(SparkJson.Options) ?? throw new JsonException("The task message is null.")];
    }

    /// <summary>The message body for <paramref name="tasks"/>: the plain task message for one, a bundle for more.</summary>
    public static BinaryData Write(IReadOnlyList<TaskMessage> tasks) =>
        tasks.Count == 1 ? SparkJson.ToBinary(tasks[0]) : SparkJson.ToBinary(new TaskBundle(tasks));
}

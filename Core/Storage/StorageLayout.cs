using System.Globalization;

namespace Spark.Serverless.Storage;

/// <summary>
/// Blob names of the platform's own state inside the platform container (DESIGN section 4), and the
/// names of a saved dataset's files. Every host builds names here so they cannot drift apart.
/// </summary>
public static class StorageLayout
{
    /// <summary>The name of the manifest written last into a saved dataset's folder.</summary>
    public const string SuccessMarker = "_SUCCESS";

    /// <summary>The folder that holds everything of one job.</summary>
    public static string JobPrefix(string jobId) => $"jobs/{jobId}/";

    /// <summary>The submitted JSON spec, or the uploaded assembly's manifest.</summary>
    public static string Spec(string jobId) => $"jobs/{jobId}/spec.json";

    /// <summary>The compiled application assembly, named by its SHA-256.</summary>
    public static string App(string jobId, string sha256) => $"jobs/{jobId}/app/{sha256}.dll";

    /// <summary>The orchestration checkpoint, written with If-Match.</summary>
    public static string State(string jobId) => $"jobs/{jobId}/state.json";

    /// <summary>The plan: stages, partitions, input splits and the plan hash, read by executors.</summary>
    public static string Plan(string jobId) => $"jobs/{jobId}/plan.json";

    /// <summary>The committed map outputs of a shuffle-map stage, which its reducers read.</summary>
    public static string MapOutputs(string jobId, int stageId) => $"jobs/{jobId}/stages/{stageId}/map-outputs.json";

    /// <summary>The folder of a job's shuffle files.</summary>
    public static string ShufflePrefix(string jobId) => $"jobs/{jobId}/shuffle/";

    /// <summary>One map task attempt's shuffle data: every reduce partition's block, in partition order.</summary>
    public static string ShuffleData(string jobId, int stageId, int partition, string attemptId) =>
        $"jobs/{jobId}/shuffle/{stageId}/{partition}.{attemptId}.data";

    /// <summary>A sortBy sampling task attempt's sample of keys.</summary>
    public static string Sample(string jobId, int stageId, int partition, string attemptId) =>
        $"jobs/{jobId}/samples/{stageId}/{partition}.{attemptId}";

    /// <summary>The job's results file: every action's outcome, written by the job commit.</summary>
    public static string Results(string jobId) => $"jobs/{jobId}/results.json";

    /// <summary>The blob whose lease a driver holds while it commits the job.</summary>
    public static string CommitLock(string jobId) => $"jobs/{jobId}/commit.lock";

    /// <summary>The folders of a job's temporary files, removed when it ends.</summary>
    public static IEnumerable<string> TemporaryPrefixes(string jobId) =>
        [ShufflePrefix(jobId), OutputPrefix(jobId), $"jobs/{jobId}/samples/", $"jobs/{jobId}/persist/"];

    /// <summary>The manifest of a named persisted dataset.</summary>
    public static string PersistManifest(string name) => $"persist/{name}/{SuccessMarker}";

    /// <summary>The folder of every job.</summary>
    public const string JobsPrefix = "jobs/";

    /// <summary>The folder of a job's task logs, or of one stage's, or of one task's.</summary>
    public static string TaskLogPrefix(string jobId, int? stageId = null) =>
        stageId is null ? $"jobs/{jobId}/logs/" : $"jobs/{jobId}/logs/{stageId}/";

    /// <summary>What one task attempt logged: <c>logs/{stage}/{stageAttempt}/{partition}/{attemptId}.log</c>.</summary>
    public static string TaskLog(string jobId, int stageId, int stageAttempt, int partition, string attemptId) =>
        $"jobs/{jobId}/logs/{stageId}/{stageAttempt}/{partition}/{attemptId}.log";

    /// <summary>The folder of markers of jobs that have not ended.</summary>
    public const string RunningPrefix = "running/";

    /// <summary>An empty marker that lives while the job has not ended: what the periodic tick sweep lists.</summary>
    public static string RunningMarker(string jobId) => $"{RunningPrefix}{jobId}";

    /// <summary>The folder of executor heartbeats.</summary>
    public const string ExecutorsPrefix = "executors/";

    /// <summary>An executor's heartbeat: slots, running tasks, idle time, last seen.</summary>
    public static string Heartbeat(string executorId) => $"{ExecutorsPrefix}{executorId}.json";

    /// <summary>The folder of the managers' scale decisions.</summary>
    public const string ScaleHistoryPrefix = "manager/history/";

    /// <summary>One manager's scale decisions of one hour (an append blob of JSON lines).</summary>
    public static string ScaleHistory(DateTimeOffset hour, string managerId) =>
        $"{ScaleHistoryPrefix}{hour.UtcDateTime:yyyyMMddHH}/{managerId}.jsonl";

    /// <summary>The folder of a stage's commit markers.</summary>
    public static string CommitPrefix(string jobId, int stageId) => $"jobs/{jobId}/commits/{stageId}/";

    /// <summary>
    /// A task's commit marker, created once with If-None-Match:*; the first committer wins. Scoped by stage attempt: a
    /// stage resubmitted after a fetch failure recomputes its lost partitions under new markers.
    /// </summary>
    public static string CommitMarker(string jobId, int stageId, int stageAttempt, int partition) =>
        CommitMarkerPrefix(jobId, stageId, stageAttempt) + partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The folder of one stage attempt's commit markers.</summary>
    public static string CommitMarkerPrefix(string jobId, int stageId, int stageAttempt) =>
        $"jobs/{jobId}/commits/{stageId}/{stageAttempt}/";

    /// <summary>The folder of attempt-scoped result parts before the job commit.</summary>
    public static string OutputPrefix(string jobId) => $"jobs/{jobId}/out/";

    /// <summary>A result task attempt's output before the job commit promotes it.</summary>
    public static string AttemptOutput(string jobId, int stageId, int partition, string attemptId) =>
        $"jobs/{jobId}/out/{stageId}/{partition}.{attemptId}";

    /// <summary>The name of the committed part file of a reduce partition, as Hadoop and Spark name it.</summary>
    public static string PartName(int partition) =>
        "part-" + partition.ToString("D5", CultureInfo.InvariantCulture);
}

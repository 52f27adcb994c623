using System.Text;

namespace Spark.Serverless.Executor.Logging;

/// <summary>
/// What one task attempt logs: the executor's log lines about it and whatever its code writes to the console,
/// collected while it runs (found through an async-local, so concurrent tasks keep apart) and stored with the job
/// when it ends, for <c>GET /api/jobs/{id}/logs</c> and the UI.
/// </summary>
internal sealed class TaskLogBuffer
{
    private const int MaxChars = 256 << 10;
    private static readonly AsyncLocal<TaskLogBuffer?> s_current = new();
    private readonly StringBuilder _text = new();
    private bool _truncated;

    /// <summary>The buffer of the task running on this async flow, if any.</summary>
    public static TaskLogBuffer? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>The attempt id, once the attempt has one (a redelivered, already committed task never gets one).</summary>
    public string? AttemptId { get; set; }

    /// <summary>
    /// Whether anything besides the runner's own routine lines (started, committed) came in: console output, a
    /// warning, another category's line, a failure. A bundled task with nothing noteworthy stores no log.
    /// </summary>
    public bool Noteworthy { get; private set; }

    /// <summary>Adds one of the runner's routine lines, which alone do not make the log worth storing for a bundled task.</summary>
    public void AppendRoutine(string line) => Add(line + "\n", noteworthy: false);

    /// <summary>Adds text (console writes come in pieces).</summary>
    public void Append(string? text) => Add(text, noteworthy: true);

    private void Add(string? text, bool noteworthy)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_text)
        {
            Noteworthy |= noteworthy;
            if (_truncated) return;
            if (_text.Length + text.Length > MaxChars)
            {
                // A runaway task must not hold the executor's memory: keep the start, say what was dropped.
                _text.Append(text.AsSpan(0, Math.Max(0, MaxChars - _text.Length))).Append("\n[log truncated at 256 KiB]\n");
                _truncated = true;
                return;
            }
            _text.Append(text);
        }
    }

    /// <summary>Adds a line.</summary>
    public void AppendLine(string line) => Append(line + "\n");

    /// <summary>Everything collected.</summary>
    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }
}

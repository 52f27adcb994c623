using System.Text;

namespace Spark.Serverless.Executor.Logging;

/// <summary>
/// Stands in for the console's writer: what a task's code writes (a <c>Console.WriteLine</c> in a lambda, as a
/// Spark user would print) also goes to that task's <see cref="TaskLogBuffer"/>; everything still reaches the
/// real console.
/// </summary>
internal sealed class TaskConsoleWriter(TextWriter inner) : TextWriter
{
    /// <summary>Routes <see cref="Console.Out"/> and <see cref="Console.Error"/> through task buffers.</summary>
    public static void Install()
    {
        if (Console.Out is not TaskConsoleWriter) Console.SetOut(new TaskConsoleWriter(Console.Out));
        if (Console.Error is not TaskConsoleWriter) Console.SetError(new TaskConsoleWriter(Console.Error));
    }

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        TaskLogBuffer.Current?.Append(value.ToString());
        inner.Write(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        TaskLogBuffer.Current?.Append(value);
        inner.Write(value);
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count)
    {
        TaskLogBuffer.Current?.Append(new string(buffer, index, count));
        inner.Write(buffer, index, count);
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        TaskLogBuffer.Current?.Append(value + NewLine);
        inner.WriteLine(value);
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}

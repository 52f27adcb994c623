using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Spark.Serverless.Executor.Logging;

/// <summary>Copies log events raised while a task runs into that task's <see cref="TaskLogBuffer"/>.</summary>
internal sealed class TaskLogProvider(TimeProvider time) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new TaskLogger(categoryName[(categoryName.LastIndexOf('.') + 1)..], time);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class TaskLogger(string category, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && TaskLogBuffer.Current is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || TaskLogBuffer.Current is not { } buffer) return;
            string level = logLevel switch { LogLevel.Warning => "warn", LogLevel.Error => "fail", LogLevel.Critical => "crit", _ => "info" };
            string line = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():HH:mm:ss.fff} {level} {category}: {formatter(state, exception)}");
            if (logLevel == LogLevel.Information && exception is null && category == nameof(Runtime.TaskRunner)) buffer.AppendRoutine(line);
            else buffer.AppendLine(line);
            if (exception is not null) buffer.AppendLine(exception.ToString());
        }
    }
}

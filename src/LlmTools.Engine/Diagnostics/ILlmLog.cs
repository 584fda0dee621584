namespace LlmTools.Engine.Diagnostics;

/// <summary>
/// Where the engine reports what it does (retries, cache hits, clients). Called from any thread; the cmdlet side
/// queues the lines and writes them on the pipeline thread. Lines never contain secrets.
/// </summary>
public interface ILlmLog
{
    /// <summary>A line for -Verbose.</summary>
    void Verbose(string message);

    /// <summary>A warning the user should see.</summary>
    void Warning(string message);

    /// <summary>
    /// The engine waits before it goes on: a retry after a failure, and any later wait of the same kind (for
    /// rate-limit quota, say). The module shows the first of a run without -Verbose and the wait in its progress.
    /// </summary>
    /// <param name="message">What happened and how long the wait is; no secrets.</param>
    /// <param name="delay">How long the wait is.</param>
    void Waiting(string message, TimeSpan delay) => Verbose(message);
}

/// <summary>A log that drops everything (benchmarks, tools that do not report).</summary>
public sealed class NullLog : ILlmLog
{
    /// <summary>The one instance.</summary>
    public static readonly NullLog Instance = new();

    /// <inheritdoc/>
    public void Verbose(string message)
    {
    }

    /// <inheritdoc/>
    public void Warning(string message)
    {
    }
}

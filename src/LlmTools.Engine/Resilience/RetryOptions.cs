using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Resilience;

/// <summary>How hard to try: attempts, TinyTroupe-style exponential backoff, the longest wait, per-attempt timeout.</summary>
public sealed record RetryOptions(int MaxAttempts, TimeSpan WaitingTime, double BackoffFactor, TimeSpan MaxRetryDelay, TimeSpan Timeout)
{
    public static RetryOptions From(LlmSettings settings) =>
        new(settings.MaxAttempts, settings.WaitingTime, settings.BackoffFactor, settings.MaxRetryDelay, settings.Timeout);

    /// <summary>
    /// Delay before retry number <paramref name="retry"/> (0-based): WAITING_TIME × FACTOR^retry with ±20 %
    /// jitter, or what the server asked for (Retry-After), never more than <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan DelayFor(int retry, TimeSpan? serverAsked, double jitterSample)
    {
        if (serverAsked is { } asked)
        {
            return asked <= MaxRetryDelay ? asked : MaxRetryDelay;
        }

        var seconds = WaitingTime.TotalSeconds * Math.Pow(BackoffFactor, retry);
        seconds *= 0.8 + (0.4 * jitterSample); // why: clients that failed together must not retry together
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }
}

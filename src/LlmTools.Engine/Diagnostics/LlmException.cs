namespace LlmTools.Engine.Diagnostics;

/// <summary>
/// A failure the user can act on: an id, the HTTP status if any, and a message that already says what
/// happened and (where known) how to fix it. Messages are redacted of keys before they get here.
/// </summary>
public sealed class LlmException : Exception
{
    public LlmException(LlmErrorId errorId, string message, int? status = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Status = status;
    }

    public LlmErrorId ErrorId { get; }

    /// <summary>HTTP status of the failed response; null when there was none (network, timeout, input).</summary>
    public int? Status { get; }

    /// <summary>How long the server asked to wait (Retry-After), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

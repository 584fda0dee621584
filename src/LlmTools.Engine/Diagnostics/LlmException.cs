namespace LlmTools.Engine.Diagnostics;

/// <summary>
/// The one error vocabulary of the module (DESIGN.md): the cmdlets use these as ErrorRecord ids, so scripts can
/// branch on them, and the same mistake gets the same id from every cmdlet.
/// </summary>
public enum LlmErrorId
{
    /// <summary>A failure with no better name.</summary>
    RequestFailed,

    /// <summary>The server answered 200 with something that is not the API's answer (HTML, empty, no choices, vectors that do not fit).</summary>
    InvalidResponse,

    /// <summary>The answer stopped before its end (a cut stream, an error event, no finish reason); the partial text is kept, nothing is cached.</summary>
    ResponseIncomplete,

    /// <summary>An answer larger than the module accepts.</summary>
    ResponseTooLarge,

    /// <summary>The endpoint needs a key and none was given.</summary>
    ApiKeyMissing,

    /// <summary>401, or a Microsoft Entra ID sign-in that failed.</summary>
    AuthenticationFailed,

    /// <summary>403.</summary>
    PermissionDenied,

    /// <summary>429 after every attempt.</summary>
    RateLimited,

    /// <summary>429 insufficient_quota: never retried.</summary>
    QuotaExceeded,

    /// <summary>The server stayed silent longer than TIMEOUT, or answered 408.</summary>
    RequestTimedOut,

    /// <summary>404: model, deployment or route.</summary>
    ModelNotFound,

    /// <summary>400 or 422 the server explains.</summary>
    BadRequest,

    /// <summary>400 context_length_exceeded.</summary>
    ContextLengthExceeded,

    /// <summary>The content filter blocked the request.</summary>
    ContentFiltered,

    /// <summary>5xx after every attempt.</summary>
    ServerError,

    /// <summary>No connection could be made or kept.</summary>
    EndpointUnreachable,

    /// <summary>A setting cannot be used.</summary>
    InvalidConfiguration,

    /// <summary>The item cannot be sent as it is (empty prompt, nothing to send).</summary>
    InvalidInput,

    /// <summary>A -Messages item is not a message (no role, unknown role, no content).</summary>
    InvalidMessage,

    /// <summary>A template placeholder has no value.</summary>
    TemplateVariableMissing,

    /// <summary>Replay mode and no usable cached answer.</summary>
    CacheReplayMiss,

    /// <summary>A text is longer than the model accepts; it was not sent.</summary>
    InputTooLong,

    /// <summary>A path names no file (Measure-LlmTokens).</summary>
    PathNotFound,

    /// <summary>A file exists but cannot be read.</summary>
    FileReadFailed,

    /// <summary>A file cannot be written (a batch job file).</summary>
    FileWriteFailed,

    /// <summary>The request would cross a token or cost budget; it was not sent, and the command stops.</summary>
    BudgetExceeded,

    /// <summary>A budget is set that cannot be kept: the model's price, or the most its answer may cost, is unknown.</summary>
    BudgetUnenforceable,

    /// <summary>Clear-LlmCache without a filter and without -All.</summary>
    CacheFilterRequired,

    /// <summary>A negative -OlderThan.</summary>
    InvalidCacheAge,

    /// <summary>A -Key that is not a cache key.</summary>
    InvalidCacheKey,

    /// <summary>The cache folder cannot be listed.</summary>
    CacheReadFailed,

    /// <summary>A cache entry cannot be removed.</summary>
    CacheRemoveFailed,

    /// <summary>The server has no Batch API (its files or batches route answered 404).</summary>
    BatchUnsupported,

    /// <summary>A batch job has not finished yet; its results cannot be received.</summary>
    BatchNotFinished,
}

/// <summary>
/// A failure the user can act on, classified once where it happened: its id, the HTTP status if any, whether another
/// attempt may succeed, how long the server asked to wait, and a message that already says what happened and (where
/// known) how to fix it. Messages are redacted of keys before they get here; nothing downstream parses a body again.
/// </summary>
public sealed class LlmException : Exception
{
    /// <summary>A classified failure.</summary>
    public LlmException(LlmErrorId errorId, string message, int? status = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Status = status;
    }

    /// <summary>What went wrong, as an ErrorRecord id.</summary>
    public LlmErrorId ErrorId { get; }

    /// <summary>HTTP status of the failed response; null when there was none (network, timeout, input).</summary>
    public int? Status { get; }

    /// <summary>True when another attempt may succeed (408, 429 but not an exhausted quota, 5xx, network, timeout).</summary>
    public bool IsTransient { get; init; }

    /// <summary>How long the server asked to wait (retry-after-ms, Retry-After), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The text an incomplete answer had shown before it stopped (<see cref="LlmErrorId.ResponseIncomplete"/>); never cached.</summary>
    public string? PartialContent { get; init; }

    /// <summary>
    /// <paramref name="failure"/> as an LlmException: itself when it is one, else RequestFailed. Why: anything else is
    /// a bug, yet it must still fail only its own item, never the whole pipeline.
    /// </summary>
    public static LlmException From(Exception failure) =>
        failure as LlmException ?? new LlmException(LlmErrorId.RequestFailed, failure.Message, inner: failure);
}

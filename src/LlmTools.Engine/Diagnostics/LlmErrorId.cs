namespace LlmTools.Engine.Diagnostics;

/// <summary>Error ids of DESIGN.md; the cmdlets use them as ErrorRecord ids, so scripts can branch on them.</summary>
public enum LlmErrorId
{
    RequestFailed,
    ApiKeyMissing,
    AuthenticationFailed,
    PermissionDenied,
    RateLimited,
    QuotaExceeded,
    RequestTimedOut,
    ModelNotFound,
    BadRequest,
    ContextLengthExceeded,
    ContentFiltered,
    ServerError,
    EndpointUnreachable,
    InvalidConfiguration,
    InvalidInput,
    TemplateVariableMissing,
    InvalidJsonResponse,
    CacheReplayMiss,
    CacheEntryCorrupt,
    InputTooLong,
}

using System.Management.Automation;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Errors;

/// <summary>
/// ErrorRecords whose ids all come from <see cref="LlmErrorId"/> (DESIGN.md's one vocabulary), so scripts can branch on
/// FullyQualifiedErrorId and the same mistake gets the same id from every cmdlet.
/// </summary>
internal static class LlmErrors
{
    /// <summary>The record of a failure the engine classified.</summary>
    public static ErrorRecord From(LlmException ex, object? target) => Record(ex.ErrorId, ex, target);

    /// <summary>A record with <paramref name="id"/> and its category.</summary>
    public static ErrorRecord Record(LlmErrorId id, Exception exception, object? target) => new(exception, id.ToString(), Category(id), target);

    public static ErrorRecord InvalidConfiguration(InvalidConfigurationException ex) => Record(LlmErrorId.InvalidConfiguration, ex, ex.Key);

    public static ErrorRecord PathNotFound(string path) =>
        Record(LlmErrorId.PathNotFound, new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), path);

    public static ErrorRecord FileReadFailed(string path, Exception ex) =>
        Record(LlmErrorId.FileReadFailed, new IOException($"Cannot read '{path}': {ex.Message}", ex), path);

    public static ErrorRecord InvalidInput(object? target, string message) => Record(LlmErrorId.InvalidInput, new ArgumentException(message), target);

    private static ErrorCategory Category(LlmErrorId id) => id switch
    {
        LlmErrorId.ApiKeyMissing or LlmErrorId.AuthenticationFailed => ErrorCategory.AuthenticationError,
        LlmErrorId.PermissionDenied => ErrorCategory.PermissionDenied,
        LlmErrorId.RateLimited or LlmErrorId.QuotaExceeded or LlmErrorId.BudgetExceeded => ErrorCategory.LimitsExceeded,
        LlmErrorId.RequestTimedOut => ErrorCategory.OperationTimeout,
        LlmErrorId.ModelNotFound or LlmErrorId.CacheReplayMiss or LlmErrorId.PathNotFound => ErrorCategory.ObjectNotFound,
        LlmErrorId.BadRequest or LlmErrorId.InvalidInput or LlmErrorId.InvalidMessage or LlmErrorId.TemplateVariableMissing
            or LlmErrorId.ContextLengthExceeded or LlmErrorId.InputTooLong or LlmErrorId.CacheFilterRequired
            or LlmErrorId.InvalidCacheAge or LlmErrorId.InvalidCacheKey => ErrorCategory.InvalidArgument,
        LlmErrorId.InvalidConfiguration or LlmErrorId.BudgetUnenforceable => ErrorCategory.InvalidData,
        LlmErrorId.InvalidResponse or LlmErrorId.ResponseIncomplete or LlmErrorId.ResponseTooLarge => ErrorCategory.InvalidResult,
        LlmErrorId.ContentFiltered => ErrorCategory.SecurityError,
        LlmErrorId.EndpointUnreachable => ErrorCategory.ConnectionError,
        LlmErrorId.FileReadFailed or LlmErrorId.CacheReadFailed => ErrorCategory.ReadError,
        LlmErrorId.CacheRemoveFailed or LlmErrorId.FileWriteFailed => ErrorCategory.WriteError,
        LlmErrorId.BatchUnsupported => ErrorCategory.NotImplemented,
        LlmErrorId.BatchNotFinished => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.NotSpecified,
    };
}

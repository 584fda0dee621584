using System.Management.Automation;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Errors;

/// <summary>ErrorRecords with the PascalCase ids of DESIGN.md, so scripts can branch on FullyQualifiedErrorId.</summary>
internal static class LlmErrors
{
    public static ErrorRecord From(LlmException ex, object? target) => new(ex, ex.ErrorId.ToString(), Category(ex.ErrorId), target);

    public static ErrorRecord InvalidConfiguration(InvalidConfigurationException ex) =>
        new(ex, "InvalidConfiguration", ErrorCategory.InvalidData, ex.Key);

    public static ErrorRecord PathNotFound(string path) =>
        new(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), "PathNotFound", ErrorCategory.ObjectNotFound, path);

    public static ErrorRecord FileReadFailed(string path, Exception ex) =>
        new(new IOException($"Cannot read '{path}': {ex.Message}", ex), "FileReadFailed", ErrorCategory.ReadError, path);

    public static ErrorRecord InvalidInput(object? target, string message) =>
        new(new ArgumentException(message), "InvalidInput", ErrorCategory.InvalidArgument, target);

    private static ErrorCategory Category(LlmErrorId id) => id switch
    {
        LlmErrorId.ApiKeyMissing or LlmErrorId.AuthenticationFailed => ErrorCategory.AuthenticationError,
        LlmErrorId.PermissionDenied => ErrorCategory.PermissionDenied,
        LlmErrorId.RateLimited or LlmErrorId.QuotaExceeded => ErrorCategory.LimitsExceeded,
        LlmErrorId.RequestTimedOut => ErrorCategory.OperationTimeout,
        LlmErrorId.ModelNotFound or LlmErrorId.CacheReplayMiss => ErrorCategory.ObjectNotFound,
        LlmErrorId.BadRequest or LlmErrorId.InvalidInput or LlmErrorId.InvalidMessage or LlmErrorId.TemplateVariableMissing or LlmErrorId.ContextLengthExceeded or LlmErrorId.InputTooLong => ErrorCategory.InvalidArgument,
        LlmErrorId.InvalidConfiguration => ErrorCategory.InvalidData,
        LlmErrorId.ContentFiltered => ErrorCategory.SecurityError,
        LlmErrorId.EndpointUnreachable => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };
}

using System.Management.Automation;
using LlmTools.Engine.Configuration;

namespace LlmTools.Errors;

/// <summary>ErrorRecords with the PascalCase ids of DESIGN.md, so scripts can branch on FullyQualifiedErrorId.</summary>
internal static class LlmErrors
{
    public static ErrorRecord InvalidConfiguration(InvalidConfigurationException ex) =>
        new(ex, "InvalidConfiguration", ErrorCategory.InvalidData, ex.Key);

    public static ErrorRecord PathNotFound(string path) =>
        new(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), "PathNotFound", ErrorCategory.ObjectNotFound, path);

    public static ErrorRecord FileReadFailed(string path, Exception ex) =>
        new(new IOException($"Cannot read '{path}': {ex.Message}", ex), "FileReadFailed", ErrorCategory.ReadError, path);

    public static ErrorRecord InvalidMessage(object? target, string message) =>
        new(new ArgumentException(message), "InvalidMessage", ErrorCategory.InvalidArgument, target);
}

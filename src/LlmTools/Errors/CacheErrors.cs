using System.Management.Automation;

namespace LlmTools.Errors;

/// <summary>ErrorRecords of the cache cmdlets, with PascalCase ids as in DESIGN.md.</summary>
internal static class CacheErrors
{
    public static ErrorRecord FilterRequired(string cacheDirectory) => new(
        new ArgumentException($"Clear-LlmCache needs to know what to remove from '{cacheDirectory}': pass -Model, -Kind or -OlderThan, pipe entries from Get-LlmCache, or pass -All to remove every entry."),
        "CacheFilterRequired",
        ErrorCategory.InvalidArgument,
        cacheDirectory);

    public static ErrorRecord NegativeAge(TimeSpan olderThan) => new(
        new ArgumentOutOfRangeException(nameof(olderThan), olderThan, "-OlderThan must not be negative; for example -OlderThan (New-TimeSpan -Days 30)."),
        "InvalidCacheAge",
        ErrorCategory.InvalidArgument,
        olderThan);

    public static ErrorRecord InvalidKey(string key) => new(
        new ArgumentException($"'{key}' is not a cache key (64 hex characters, as Get-LlmCache shows)."),
        "InvalidCacheKey",
        ErrorCategory.InvalidArgument,
        key);

    public static ErrorRecord ReadFailed(string cacheDirectory, Exception ex) => new(
        new IOException($"Cannot list the cache '{cacheDirectory}': {ex.Message}", ex),
        "CacheReadFailed",
        ErrorCategory.ReadError,
        cacheDirectory);

    public static ErrorRecord RemoveFailed(string path, Exception ex) => new(
        new IOException($"Cannot remove the cache entry '{path}': {ex.Message}", ex),
        "CacheRemoveFailed",
        ErrorCategory.WriteError,
        path);
}

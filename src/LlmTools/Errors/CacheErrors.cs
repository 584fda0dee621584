using System.Management.Automation;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Errors;

/// <summary>ErrorRecords of the cache cmdlets, worded for them; ids from <see cref="LlmErrorId"/>.</summary>
internal static class CacheErrors
{
    public static ErrorRecord FilterRequired(string cacheDirectory) => LlmErrors.Record(
        LlmErrorId.CacheFilterRequired,
        new ArgumentException($"Clear-LlmCache needs to know what to remove from '{cacheDirectory}': pass -Model, -Kind or -OlderThan, pipe entries from Get-LlmCache, or pass -All to remove every entry."),
        cacheDirectory);

    public static ErrorRecord NegativeAge(TimeSpan olderThan) => LlmErrors.Record(
        LlmErrorId.InvalidCacheAge,
        new ArgumentOutOfRangeException(nameof(olderThan), olderThan, "-OlderThan must not be negative; for example -OlderThan (New-TimeSpan -Days 30)."),
        olderThan);

    public static ErrorRecord InvalidKey(string key) => LlmErrors.Record(
        LlmErrorId.InvalidCacheKey,
        new ArgumentException($"'{key}' is not a cache key (64 hex characters, as Get-LlmCache shows)."),
        key);

    public static ErrorRecord ReadFailed(string cacheDirectory, Exception ex) => LlmErrors.Record(
        LlmErrorId.CacheReadFailed,
        new IOException($"Cannot list the cache '{cacheDirectory}': {ex.Message}", ex),
        cacheDirectory);

    public static ErrorRecord RemoveFailed(string path, Exception ex) => LlmErrors.Record(
        LlmErrorId.CacheRemoveFailed,
        new IOException($"Cannot remove the cache entry '{path}': {ex.Message}", ex),
        path);
}

using System.Management.Automation;
using LlmTools.Engine.Caching;
using LlmTools.Errors;

namespace LlmTools.Commands;

/// <summary>The -Model / -Kind / -OlderThan filter that Get-LlmCache and Clear-LlmCache share.</summary>
internal sealed class CacheEntryFilter
{
    private readonly WildcardPattern[] _models;
    private readonly string? _kind;
    private readonly DateTimeOffset? _createdBefore;

    public CacheEntryFilter(string[]? models, string? kind, TimeSpan? olderThan, DateTimeOffset now)
    {
        _models = (models ?? []).Select(m => WildcardPattern.Get(m, WildcardOptions.IgnoreCase)).ToArray();
        _kind = kind;
        _createdBefore = olderThan is { } age ? now - age : null;
    }

    /// <summary>No filter given: everything matches.</summary>
    public bool IsEmpty => _models.Length == 0 && _kind is null && _createdBefore is null;

    /// <summary>
    /// All given filters hold. An unreadable entry has no model or kind, so only -OlderThan (by its file time)
    /// or no filter at all picks it.
    /// </summary>
    public bool Matches(CacheEntryInfo entry) =>
        (_models.Length == 0 || (entry.Model is { } model && _models.Any(p => p.IsMatch(model))))
        && (_kind is null || string.Equals(entry.Kind, _kind, StringComparison.OrdinalIgnoreCase))
        && (_createdBefore is not { } cutoff || entry.Created < cutoff);
}

/// <summary>How Get-LlmCache and Clear-LlmCache list the cache.</summary>
internal static class CacheAccess
{
    /// <summary>The entries that <paramref name="match"/> picks, oldest first; a folder that cannot be listed terminates the command.</summary>
    public static List<CacheEntryInfo> List(PSCmdlet cmdlet, FileResponseCache cache, Func<CacheEntryInfo, bool> match)
    {
        try
        {
            return cache.Enumerate().Where(match).OrderBy(entry => entry.Created).ThenBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(CacheErrors.ReadFailed(cache.DirectoryPath, ex));
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }
}

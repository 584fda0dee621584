using System.Management.Automation;
using LlmTools.Engine.Caching;

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

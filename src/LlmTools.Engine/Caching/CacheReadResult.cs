using System.Diagnostics.CodeAnalysis;

namespace LlmTools.Engine.Caching;

/// <summary>The outcome of one cache lookup. Only <see cref="CacheReadStatus.Hit"/> carries a value.</summary>
public sealed class CacheReadResult<T>
{
    private CacheReadResult(CacheReadStatus status, string path, T? value = default, CacheEntryMetadata? metadata = null, DateTimeOffset? created = null, string? reason = null)
    {
        Status = status;
        Path = path;
        Value = value;
        Metadata = metadata;
        Created = created;
        Reason = reason;
    }

    public CacheReadStatus Status { get; }

    /// <summary>True only for a fresh, complete entry.</summary>
    [MemberNotNullWhen(true, nameof(Metadata), nameof(Created))]
    public bool IsHit => Status == CacheReadStatus.Hit;

    /// <summary>The cached answer on a hit; default otherwise.</summary>
    public T? Value { get; }

    /// <summary>What the entry says about itself, on a hit or when expired.</summary>
    public CacheEntryMetadata? Metadata { get; }

    /// <summary>When the entry was stored, on a hit or when expired.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>The entry file looked at.</summary>
    public string Path { get; }

    /// <summary>Why an entry is corrupt or expired; null otherwise.</summary>
    public string? Reason { get; }

    /// <summary>
    /// The warning a caller shows for a corrupt entry (null for any other status). Why here: chat, embeddings and
    /// Get-LlmCache word it the same way.
    /// </summary>
    public string? Warning => Status == CacheReadStatus.Corrupt ? CacheEntryCodec.CorruptWarning(Path, Reason) : null;

    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = Value;
        return IsHit;
    }

    internal static CacheReadResult<T> Hit(string path, T value, CacheEntryMetadata metadata, DateTimeOffset created) =>
        new(CacheReadStatus.Hit, path, value, metadata, created);

    internal static CacheReadResult<T> Miss(string path) => new(CacheReadStatus.Miss, path);

    internal static CacheReadResult<T> Expired(string path, CacheEntryMetadata metadata, DateTimeOffset created, string reason) =>
        new(CacheReadStatus.Expired, path, metadata: metadata, created: created, reason: reason);

    internal static CacheReadResult<T> Corrupt(string path, string reason) => new(CacheReadStatus.Corrupt, path, reason: reason);
}

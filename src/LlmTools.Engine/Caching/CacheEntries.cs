using System.Diagnostics.CodeAnalysis;

namespace LlmTools.Engine.Caching;

/// <summary>The kinds of answer the cache holds, as written in entry files and filtered by the cmdlets.</summary>
public static class CacheKinds
{
    /// <summary>A chat completion (<see cref="Models.ChatResult"/>).</summary>
    public const string Chat = "chat";

    /// <summary>One text's vector.</summary>
    public const string Embedding = "embedding";
}

/// <summary>
/// What an entry says about itself, for listing and filtering (Get-LlmCache, Clear-LlmCache). Never put a secret
/// here: no API key, no header, no URL with credentials.
/// </summary>
/// <param name="Kind">"chat" or "embedding" (<see cref="CacheKinds"/>).</param>
/// <param name="Model">Model or Azure deployment name.</param>
/// <param name="Provider">"OpenAI" or "Azure".</param>
/// <param name="EndpointHost">Host (and port) of the endpoint only; a full URL is reduced to its host.</param>
/// <param name="Preview">The start of the input, for listings; the cache keeps its first 80 characters.</param>
public sealed record CacheEntryMetadata(string Kind, string Model, string Provider, string? EndpointHost = null, string? Preview = null);

/// <summary>One entry file as a listing sees it, without its payload.</summary>
public sealed record CacheEntryInfo
{
    /// <summary>The content address: lowercase hex SHA-256 of the request (also the file name).</summary>
    public required string Key { get; init; }

    /// <summary>"chat" or "embedding"; null when the entry is corrupt.</summary>
    public string? Kind { get; init; }

    /// <summary>Model or Azure deployment that gave the answer; null when the entry is corrupt.</summary>
    public string? Model { get; init; }

    /// <summary>OpenAI or Azure; null when the entry is corrupt.</summary>
    public string? Provider { get; init; }

    /// <summary>Host (and port) of the endpoint that answered.</summary>
    public string? EndpointHost { get; init; }

    /// <summary>When the answer was stored (UTC); for a corrupt entry, the file's last write time.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Size of the entry file in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Full path of the entry file.</summary>
    public required string Path { get; init; }

    /// <summary>The first characters of the input.</summary>
    public string? Preview { get; init; }

    /// <summary>The file cannot be read as an entry; it is a miss until the next write of that request replaces it.</summary>
    public bool IsCorrupt { get; init; }

    /// <summary>Why the entry is corrupt; null when it is not.</summary>
    public string? Problem { get; init; }

    /// <summary>The warning to show for a corrupt entry (same words as a lookup's); null when it is not corrupt.</summary>
    public string? Warning => IsCorrupt ? CacheEntryFile.CorruptWarning(Path, Problem) : null;
}

/// <summary>What a lookup found.</summary>
public enum CacheReadStatus
{
    /// <summary>No entry for the key.</summary>
    Miss,

    /// <summary>A complete, fresh entry; the value is usable.</summary>
    Hit,

    /// <summary>An entry older than the time-to-live: a miss; the next write replaces it.</summary>
    Expired,

    /// <summary>An unreadable entry (empty, truncated, not ours): a miss plus a warning; the next write replaces it.</summary>
    Corrupt,
}

/// <summary>The outcome of one lookup. Only <see cref="CacheReadStatus.Hit"/> carries a value.</summary>
/// <typeparam name="T">The cached answer's type.</typeparam>
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

    /// <summary>What the lookup found.</summary>
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

    /// <summary>The warning for a corrupt entry (null for any other status): chat, embeddings and Get-LlmCache word it alike.</summary>
    public string? Warning => Status == CacheReadStatus.Corrupt ? CacheEntryFile.CorruptWarning(Path, Reason) : null;

    /// <summary>The value and true on a hit.</summary>
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

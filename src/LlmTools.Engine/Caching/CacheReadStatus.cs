namespace LlmTools.Engine.Caching;

/// <summary>What <see cref="FileResponseCache.TryRead{T}"/> found.</summary>
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

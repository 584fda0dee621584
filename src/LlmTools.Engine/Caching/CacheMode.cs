namespace LlmTools.Engine.Caching;

/// <summary>How a call may use the response cache. What each mode allows is decided here and nowhere else.</summary>
public enum CacheMode
{
    /// <summary>Read hits, write misses (default).</summary>
    ReadWrite,

    /// <summary>Read hits, never write.</summary>
    ReadOnly,

    /// <summary>Read hits; a miss is an error and the network is never touched (offline replay of recorded answers).</summary>
    Replay,
}

/// <summary>The rules of each <see cref="CacheMode"/>.</summary>
public static class CacheModes
{
    /// <summary>Only ReadWrite stores new answers; ReadOnly and Replay leave the cache as it is.</summary>
    public static bool CanWrite(this CacheMode mode) => mode == CacheMode.ReadWrite;

    /// <summary>In Replay a miss (expired and corrupt included) is an error instead of a network call.</summary>
    public static bool MissIsError(this CacheMode mode) => mode == CacheMode.Replay;

    /// <summary>What a replay miss tells the user: what is missing, where, and how to record it.</summary>
    public static string ReplayMissMessage(string key, string model, string cacheDirectory, CacheReadStatus status)
    {
        var what = status switch
        {
            CacheReadStatus.Expired => "only an expired answer (older than CACHE_TTL)",
            CacheReadStatus.Corrupt => "only an unreadable answer",
            _ => "no answer",
        };
        return $"CACHE_MODE is replay and the cache '{cacheDirectory}' has {what} for this request (model '{model}', key {key[..Math.Min(12, key.Length)]}). " +
            "Replay never calls the server: record the answer first with CACHE_MODE=readwrite, or set CACHE_MODE to readwrite or readonly.";
    }
}

namespace LlmTools.Engine.Caching;

/// <summary>CACHE_MODE is replay and the cache has no usable answer for a request; the network is not touched.</summary>
public sealed class CacheReplayMissException : Exception
{
    public CacheReplayMissException(string key, string model, string cacheDirectory, CacheReadStatus status = CacheReadStatus.Miss)
        : base(BuildMessage(key, model, cacheDirectory, status))
    {
        Key = key;
        Model = model;
        CacheDirectory = cacheDirectory;
        Status = status;
    }

    public string Key { get; }

    public string Model { get; }

    public string CacheDirectory { get; }

    /// <summary>Miss, Expired or Corrupt.</summary>
    public CacheReadStatus Status { get; }

    private static string BuildMessage(string key, string model, string cacheDirectory, CacheReadStatus status)
    {
        var what = status switch
        {
            CacheReadStatus.Expired => "only an expired answer (older than CACHE_TTL)",
            CacheReadStatus.Corrupt => "only an unreadable answer",
            _ => "no answer",
        };
        var shortKey = key.Length > 12 ? key[..12] : key;
        return $"CACHE_MODE is replay and the cache '{cacheDirectory}' has {what} for this request (model '{model}', key {shortKey}). " +
            "Replay never calls the server: record the answer first with CACHE_MODE=readwrite, or set CACHE_MODE to readwrite or readonly.";
    }
}

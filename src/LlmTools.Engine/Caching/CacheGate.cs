using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Caching;

/// <summary>
/// The cache as chat and embeddings use it: reads in every mode, writes only in readwrite, a miss in replay is
/// an error, an unreadable entry is a miss plus a warning (the next write replaces it), and a failed write is a
/// warning, never a lost answer.
/// </summary>
public sealed class CacheGate(FileResponseCache cache, CacheMode mode, ILlmLog log)
{
    public CacheMode Mode => mode;

    /// <summary>True in replay mode: nothing may go to the network.</summary>
    public bool IsReplay => CachePolicy.MissIsError(mode);

    /// <summary>The cached value of <paramref name="key"/>; in replay mode a miss throws <see cref="LlmException"/> (CacheReplayMiss).</summary>
    public bool TryGet<T>(string key, string model, out T value)
    {
        var result = cache.TryRead<T>(key);
        if (result.TryGetValue(out value!))
        {
            log.Verbose($"Cache hit for '{model}' ({key[..12]}, stored {result.Created:u}).");
            return true;
        }

        if (result.Warning is { } warning)
        {
            log.Warning(warning);
        }

        if (IsReplay)
        {
            var miss = new CacheReplayMissException(key, model, cache.DirectoryPath, result.Status);
            throw new LlmException(LlmErrorId.CacheReplayMiss, miss.Message, inner: miss);
        }

        return false;
    }

    /// <summary>Stores a complete answer when the mode allows; a disk problem becomes a warning.</summary>
    public void Put<T>(string key, CacheEntryMetadata metadata, T value)
    {
        if (!CachePolicy.CanWrite(mode))
        {
            return;
        }

        try
        {
            cache.Write(key, metadata, value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Could not write the cache entry to '{cache.DirectoryPath}': {ex.Message} The answer is still returned.");
        }
    }
}

using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Caching;

/// <summary>What each <see cref="CacheMode"/> allows, in one place so chat and embeddings agree.</summary>
public static class CachePolicy
{
    /// <summary>Every mode answers from the cache when it can.</summary>
    public static bool CanRead(CacheMode mode) => Enum.IsDefined(mode);

    /// <summary>Only ReadWrite stores new answers; ReadOnly and Replay leave the cache as it is.</summary>
    public static bool CanWrite(CacheMode mode) => mode == CacheMode.ReadWrite;

    /// <summary>In Replay a miss (expired and corrupt included) is an error instead of a network call.</summary>
    public static bool MissIsError(CacheMode mode) => mode == CacheMode.Replay;
}

namespace LlmTools.Engine.Configuration;

/// <summary>How a call may use the response cache.</summary>
public enum CacheMode
{
    /// <summary>Read hits, write misses (default).</summary>
    ReadWrite,

    /// <summary>Read hits, never write.</summary>
    ReadOnly,

    /// <summary>Read hits; a miss is an error and the network is never touched (offline replay of recorded answers).</summary>
    Replay,
}

using LlmTools.Engine.Models;

namespace LlmTools.Engine.Chat;

/// <summary>What identifies a chat answer in the cache: the semantic request only (no key, timeout or retries).</summary>
internal sealed record ChatCacheKey(string Provider, string EndpointHost, ChatRequest Request)
{
    public string Kind => Caching.CacheKinds.Chat;
}

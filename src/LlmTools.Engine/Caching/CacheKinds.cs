namespace LlmTools.Engine.Caching;

/// <summary>The kinds of answer the cache holds, as written in entry files and filtered by the cmdlets.</summary>
public static class CacheKinds
{
    public const string Chat = "chat";
    public const string Embedding = "embedding";
}

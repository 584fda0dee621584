namespace LlmTools.Engine.Embeddings;

/// <summary>What identifies one text's vector in the cache: provider, endpoint host, model, dimensions and text.</summary>
internal sealed record EmbeddingCacheKey(string Provider, string EndpointHost, string Model, int? Dimensions, string Text)
{
    public string Kind => Caching.CacheKinds.Embedding;
}

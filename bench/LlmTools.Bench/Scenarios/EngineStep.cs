namespace LlmTools.Bench.Scenarios;

/// <summary>A step of a cache hit inside the engine.</summary>
internal enum EngineStep
{
    /// <summary>CacheKeys.Compute(new ChatCacheKey(provider, host, request)): canonical JSON + SHA-256.</summary>
    Key,

    /// <summary>CacheFiles.ReadAll(path): open, read, close.</summary>
    Read,

    /// <summary>FileResponseCache.TryRead&lt;ChatResult&gt;(key): the read plus JSON decode and checks.</summary>
    ReadDecode,

    /// <summary>ChatService.CompleteAsync in replay mode: key + read + decode + outcome.</summary>
    ChatHit,

    /// <summary>TokenCounter.Count(text): Get-LlmEmbedding checks each text's length in tokens, hit or not.</summary>
    EmbeddingTokens,

    /// <summary>EmbeddingService.Prepare(text) in replay mode: token count + key + read + decode.</summary>
    EmbeddingHit,
}

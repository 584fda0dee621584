namespace LlmTools.Bench.Scenarios;

/// <summary>What a cache under test holds.</summary>
internal enum CacheKind
{
    Chat,
    Embedding,
}

using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Embeddings;

/// <summary>What one embeddings request may hold (OpenAI's documented limits, which Azure shares).</summary>
public static class EmbeddingLimits
{
    /// <summary>Inputs per request.</summary>
    public const int MaxInputsPerRequest = 2048;

    /// <summary>Tokens summed over all inputs of one request.</summary>
    public const int MaxTokensPerRequest = 300_000;

    private const int OpenAIInputTokens = 8191;

    /// <summary>
    /// Longest input in tokens for a known OpenAI embedding model, else null: other servers (Ollama, vLLM)
    /// have their own limits and tokenizers, so the server decides.
    /// </summary>
    public static int? MaxInputTokens(string model)
    {
        var (_, isFallback) = ModelEncodings.ForModel(model);
        return !isFallback && model.Contains("embedding", StringComparison.OrdinalIgnoreCase) ? OpenAIInputTokens : null;
    }
}

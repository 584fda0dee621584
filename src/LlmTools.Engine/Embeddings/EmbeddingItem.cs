using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Embeddings;

/// <summary>One text on its way to a vector: a cache hit, a miss waiting for a request, or a failure.</summary>
public sealed class EmbeddingItem
{
    internal EmbeddingItem(string text, int tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    /// <summary>Tokens the text costs (0 when the model's tokenizer is unknown).</summary>
    public int Tokens { get; }

    public float[]? Vector { get; internal set; }

    /// <summary>True when <see cref="Vector"/> came from the cache.</summary>
    public bool Cached { get; internal set; }

    public LlmException? Error { get; internal set; }

    /// <summary>True while the item still needs a request.</summary>
    public bool IsPending => Vector is null && Error is null;
}

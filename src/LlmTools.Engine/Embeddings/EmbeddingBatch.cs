using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Embeddings;

/// <summary>
/// Items collected for one request: at most <c>batchSize</c> pending texts and
/// <see cref="EmbeddingLimits.MaxTokensPerRequest"/> tokens. Items that need no request (hits, failures) ride
/// along so output keeps input order.
/// </summary>
public sealed class EmbeddingBatch(int batchSize)
{
    private readonly List<EmbeddingItem> _items = [];
    private int _pendingTokens;

    /// <summary>The items that still need the request.</summary>
    public IReadOnlyList<EmbeddingItem> Pending => _items.Where(i => i.IsPending).ToList();

    /// <summary>How many items need the request.</summary>
    public int PendingCount { get; private set; }

    /// <summary>True when <paramref name="item"/> fits; a pending item that does not fit needs a new batch.</summary>
    public bool CanAdd(EmbeddingItem item) =>
        !item.IsPending || PendingCount == 0
        || (PendingCount < batchSize && _pendingTokens + item.Tokens <= EmbeddingLimits.MaxTokensPerRequest);

    /// <summary>Adds <paramref name="item"/>; check <see cref="CanAdd"/> first.</summary>
    public void Add(EmbeddingItem item)
    {
        _items.Add(item);
        if (item.IsPending)
        {
            PendingCount++;
            _pendingTokens += item.Tokens;
        }
    }

    /// <summary>True when no further pending item can join.</summary>
    public bool IsFull => PendingCount >= batchSize;
}

/// <summary>One text on its way to a vector: a cache hit, a miss waiting for a request, or a failure.</summary>
public sealed class EmbeddingItem
{
    internal EmbeddingItem(string text, int tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The text to embed.</summary>
    public string Text { get; }

    /// <summary>Tokens the text costs (0 when the model's tokenizer is unknown).</summary>
    public int Tokens { get; }

    /// <summary>The vector, once known.</summary>
    public float[]? Vector { get; internal set; }

    /// <summary>True when <see cref="Vector"/> came from the cache.</summary>
    public bool Cached { get; internal set; }

    /// <summary>Its share of the request's billed prompt tokens (see <see cref="UsageShares"/>); null for hits and failures.</summary>
    public int? PromptTokens { get; internal set; }

    /// <summary>US dollars of its share: 0 from the cache, null when the price is unknown or it failed.</summary>
    public decimal? Cost { get; internal set; }

    /// <summary>What it holds in the budgets until its request is answered.</summary>
    internal Spending.SpendCharge? Charge { get; set; }

    /// <summary>Gives back what the text holds in the budgets, when it will not be sent after all; a no-op once settled.</summary>
    public void ReleaseHold() => Charge?.Release();

    /// <summary>Why the item failed, when it did.</summary>
    public LlmException? Error { get; internal set; }

    /// <summary>True while the item still needs a request.</summary>
    public bool IsPending => Vector is null && Error is null;
}

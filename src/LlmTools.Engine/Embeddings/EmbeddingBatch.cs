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

    public IReadOnlyList<EmbeddingItem> Items => _items;

    public IReadOnlyList<EmbeddingItem> Pending => _items.Where(i => i.IsPending).ToList();

    public int PendingCount { get; private set; }

    /// <summary>True when <paramref name="item"/> fits; a pending item that does not fit needs a new batch.</summary>
    public bool CanAdd(EmbeddingItem item) =>
        !item.IsPending || PendingCount == 0
        || (PendingCount < batchSize && _pendingTokens + item.Tokens <= EmbeddingLimits.MaxTokensPerRequest);

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

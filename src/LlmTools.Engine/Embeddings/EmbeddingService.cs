using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Embeddings;

/// <summary>
/// Embeddings for many texts with as few requests as the API allows: each text is checked (empty, too long)
/// and looked up in the cache; only misses are sent, in batches, through the retry pipeline, and stored.
/// </summary>
public sealed class EmbeddingService
{
    private readonly ILlmClient? _client;
    private readonly CacheGate? _cache;
    private readonly LlmSettings _settings;
    private readonly ILlmLog _log;
    private readonly TokenCounter _counter;
    private readonly int? _maxInputTokens;

    // why: part of every text's cache key and entry; computed once, not per text on the hit path
    private readonly string _providerName;
    private readonly string _endpointHost;

    /// <param name="client">The provider; null in replay mode.</param>
    /// <param name="settings">Resolved settings; EmbeddingModel is the model.</param>
    /// <param name="log">Retry and cache lines.</param>
    /// <param name="dimensions">Requested vector length, or null for the model's own.</param>
    /// <param name="cache">Null when the cache is off (-NoCache).</param>
    public EmbeddingService(ILlmClient? client, LlmSettings settings, ILlmLog log, int? dimensions, CacheGate? cache)
    {
        _client = client;
        _cache = cache;
        _settings = settings;
        _log = log;
        Dimensions = dimensions;
        (_counter, _) = TokenCounter.ForModel(settings.EmbeddingModel);
        _maxInputTokens = EmbeddingLimits.MaxInputTokens(settings.EmbeddingModel);
        _providerName = LlmClientFactory.ProviderName(settings);
        _endpointHost = LlmClientFactory.EndpointHost(settings);
    }

    public string Model => _settings.EmbeddingModel;

    public int? Dimensions { get; }

    /// <summary>Checks one text; the item is failed (empty, too long) or pending.</summary>
    public EmbeddingItem Prepare(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Failed(text ?? string.Empty, 0, new LlmException(LlmErrorId.InvalidInput, "The text is empty; there is nothing to embed."));
        }

        var tokens = _counter.Count(text);
        if (tokens > _maxInputTokens)
        {
            return Failed(text, tokens, new LlmException(
                LlmErrorId.InputTooLong,
                $"The text has {tokens} tokens; '{Model}' accepts at most {_maxInputTokens}. Split it into smaller pieces (Measure-LlmTokens counts them); it was not sent."));
        }

        var item = new EmbeddingItem(text, tokens);
        try
        {
            if (_cache is not null && _cache.TryGet<float[]>(CacheKey(text), Model, out var vector))
            {
                item.Vector = vector;
                item.Cached = true;
            }
        }
        catch (LlmException replayMiss)
        {
            item.Error = replayMiss;
        }

        return item;
    }

    /// <summary>Sends the batch's pending texts in one request; on failure every one of them carries the error.</summary>
    public async Task SendAsync(EmbeddingBatch batch, CancellationToken cancellationToken)
    {
        var pending = batch.Pending;
        if (pending.Count == 0)
        {
            return;
        }

        var pipeline = RetryPipelineFactory.Create(RetryOptions.From(_settings), _log, Describe);
        try
        {
            var texts = pending.Select(i => i.Text).ToList();
            var client = _client ?? throw new InvalidOperationException("No client: replay mode answers from the cache only.");
            var vectors = await pipeline.ExecuteAsync(
                async token => await client.EmbedAsync(texts, Model, Dimensions, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < pending.Count; i++)
            {
                pending[i].Vector = vectors[i];
                _cache?.Put(CacheKey(pending[i].Text), Metadata(pending[i].Text), vectors[i]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = Describe(ex);
            foreach (var item in pending)
            {
                item.Error = error;
            }
        }
    }

    private string CacheKey(string text) => FileResponseCache.ComputeKey(
        new EmbeddingCacheKey(_providerName, _endpointHost, Model, Dimensions, text));

    private CacheEntryMetadata Metadata(string text) =>
        new(CacheKinds.Embedding, Model, _providerName, _endpointHost, text);

    private static EmbeddingItem Failed(string text, int tokens, LlmException error) => new(text, tokens) { Error = error };

    private LlmException Describe(Exception exception) => FaultClassifier.Describe(exception, _settings, Model);
}

using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Embeddings;

/// <summary>
/// Embeddings for many texts with as few requests as the API allows: each text is checked (empty, too long) and looked
/// up in the cache; only misses are sent, in batches, through the session's retry pipeline, and stored.
/// </summary>
public sealed class EmbeddingService
{
    private readonly EngineSession _session;
    private readonly ILlmLog _log;
    private readonly RetryOptions _retry;
    private readonly FileResponseCache? _cache;
    private readonly TokenCounter _counter;
    private readonly int? _maxInputTokens;
    private readonly TimeSpan _rateLimitWait;

    internal EmbeddingService(EngineSession session, LlmSettings settings, ILlmLog log, int? dimensions)
    {
        _session = session;
        _log = log;
        _retry = RetryOptions.From(settings);
        _cache = session.CacheFor(settings);
        Model = settings.EmbeddingModel;
        Dimensions = dimensions;
        (_counter, _) = TokenCounter.ForModel(Model);
        _maxInputTokens = EmbeddingLimits.MaxInputTokens(Model);
        _rateLimitWait = settings.RateLimitWait;
        Pacing = settings.IsReplay ? null : session.Limiter(Model, settings);
    }

    /// <summary>The rate limiter this service's requests go through (for progress); null in replay.</summary>
    public RateLimiter? Pacing { get; }

    /// <summary>Ends when the cache entries of this service's answers are on disk (they are written off the request path).</summary>
    public Task WhenCacheWritten() => _cache?.WhenWritten() ?? Task.CompletedTask;

    /// <summary>The embedding model (or Azure deployment).</summary>
    public string Model { get; }

    /// <summary>Requested vector length, or null for the model's own.</summary>
    public int? Dimensions { get; }

    /// <summary>Checks one text; the item is failed (empty, too long), a cache hit, or pending.</summary>
    public EmbeddingItem Prepare(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(text ?? string.Empty, 0) { Error = new LlmException(LlmErrorId.InvalidInput, "The text is empty; there is nothing to embed.") };
        }

        var tokens = _counter.Estimate(text); // why not Count: a pasted blob must not hang the check
        if (tokens > _maxInputTokens)
        {
            return new(text, tokens)
            {
                Error = new LlmException(
                    LlmErrorId.InputTooLong,
                    $"The text has {tokens} tokens; '{Model}' accepts at most {_maxInputTokens}. Split it into smaller pieces (Measure-LlmTokens counts them); it was not sent."),
            };
        }

        var item = new EmbeddingItem(text, tokens);
        try
        {
            if (_cache is not null && _cache.TryGet<float[]>(CacheKey(text), Model, _log, out var vector))
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

    /// <summary>
    /// Sends the batch's pending texts in one request, paced by the model's rate limiter (its cost: the texts' tokens);
    /// when the server refuses the whole batch for what may be one text (<see cref="BatchSplit"/>), the halves are sent
    /// on their own until the text it refuses fails alone. Batches may be sent concurrently.
    /// </summary>
    public async Task SendAsync(EmbeddingBatch batch, CancellationToken cancellationToken)
    {
        var pending = batch.Pending;
        if (pending.Count == 0)
        {
            return;
        }

        await SendPartAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendPartAsync(IReadOnlyList<EmbeddingItem> pending, CancellationToken cancellationToken)
    {
        try
        {
            var texts = pending.Select(i => i.Text).ToList();
            var tokens = pending.Sum(i => (double)i.Tokens);
            var allowance = new QuotaAllowance(_rateLimitWait, _retry);
            var vectors = await _session.Retry.ExecuteAsync(
                _retry,
                _log,
                token => Pacing!.SendAsync(
                    tokens, allowance, _log, t => BatchSplit.Attempt(texts.Count, () => _session.Client.EmbedAsync(texts, Model, Dimensions, _retry.Timeout, t)), _ => null, token),
                cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < pending.Count; i++)
            {
                pending[i].Vector = vectors[i];
                _cache?.Put(CacheKey(pending[i].Text), new(CacheKinds.Embedding, Model, _session.Endpoint.ProviderName, _session.Endpoint.Host, pending[i].Text), vectors[i], _log);
            }
        }
        catch (LlmException ex) when (pending.Count > 1 && BatchSplit.IsSplittable(ex))
        {
            _log.Verbose($"The server refused a batch of {pending.Count} texts ({ex.Message}) Sending it in halves, so only the text it refuses fails.");
            var half = pending.Count / 2;
            await SendPartAsync(pending.Take(half).ToList(), cancellationToken).ConfigureAwait(false);
            await SendPartAsync(pending.Skip(half).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // why not only LlmException: whatever fails, each text of the batch gets an error, never a missing vector
            var error = LlmException.From(ex);
            foreach (var item in pending)
            {
                item.Error = error;
            }
        }
    }

    private string CacheKey(string text) =>
        CacheKeys.ForEmbedding(_session.Endpoint.ProviderName, _session.Endpoint.Host, Model, Dimensions, text);
}

/// <summary>What one embeddings request may hold (OpenAI's documented limits, which Azure shares).</summary>
public static class EmbeddingLimits
{
    /// <summary>Inputs per request.</summary>
    public const int MaxInputsPerRequest = 2048;

    /// <summary>Tokens summed over all inputs of one request.</summary>
    public const int MaxTokensPerRequest = 300_000;

    private const int OpenAIInputTokens = 8191;

    /// <summary>
    /// Longest input in tokens for a known OpenAI embedding model, else null: other servers (Ollama, vLLM) have their
    /// own limits and tokenizers, so the server decides.
    /// </summary>
    public static int? MaxInputTokens(string model)
    {
        var (_, isFallback) = ModelEncodings.ForModel(model);
        return !isFallback && model.Contains("embedding", StringComparison.OrdinalIgnoreCase) ? OpenAIInputTokens : null;
    }
}

using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Models;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;
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
    private readonly CommandSpending _spending;
    private readonly ModelPrice? _price;

    internal EmbeddingService(EngineSession session, LlmSettings settings, ILlmLog log, int? dimensions, CommandSpending spending)
    {
        _spending = spending;
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
        _price = spending.Guard.Catalog.Find(Model)?.Price;
    }

    /// <summary>The command's own budget (-TokenBudget, -CostBudget) and, through the guard, the session's.</summary>
    public CommandSpending Spending => _spending;

    /// <summary>
    /// What a text would cost (-WhatIf): its tokens, whether the cache holds it, and its dollars (null: price unknown),
    /// at the price of <paramref name="serviceTier"/> (flex for a batch job) when given.
    /// </summary>
    public (int Tokens, bool Cached, decimal? Cost) Estimate(string text, string? serviceTier = null)
    {
        var tokens = _counter.Estimate(text);
        var cached = _cache is not null && _cache.TryGet<float[]>(CacheKey(text), Model, NullLog.Instance, out _);
        var price = serviceTier is null ? _price : _spending.Guard.Catalog.Find(Model)?.PriceFor(serviceTier);
        return (tokens, cached, cached ? 0 : price?.CostOf(tokens, 0));
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
    public async Task<EmbeddingItem> PrepareAsync(string? text, CancellationToken cancellationToken)
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
                item.Cost = 0;
                _spending.Ledger.CacheHit(Model);
                return item;
            }
        }
        catch (LlmException replayMiss)
        {
            item.Error = replayMiss;
            return item;
        }

        // why here, in input order on the caller's thread: the budget lets through exactly the texts that fit, at any -ThrottleLimit
        item.Charge = await _spending.Guard.HoldAsync(Model, tokens, completionCap: 0, cancellationToken, "This text").ConfigureAwait(false);
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
            var answer = await _session.Retry.ExecuteAsync(
                _retry,
                _log,
                token => Pacing!.SendAsync(
                    tokens, allowance, _log, t => BatchSplit.Attempt(texts.Count, () => _session.Client.EmbedAsync(texts, Model, Dimensions, _retry.Timeout, t)), _ => null, token),
                cancellationToken).ConfigureAwait(false);
            var shares = UsageShares.Split(answer.PromptTokens ?? pending.Sum(i => i.Tokens), pending.Select(i => i.Tokens).ToList());
            for (var i = 0; i < pending.Count; i++)
            {
                pending[i].Vector = answer.Vectors[i];
                pending[i].PromptTokens = shares[i];
                pending[i].Cost = _price?.CostOf(shares[i], 0);
                pending[i].Charge?.Settle(shares[i]);
                _cache?.Put(CacheKey(pending[i].Text), new(CacheKinds.Embedding, Model, _session.Endpoint.ProviderName, _session.Endpoint.Host, pending[i].Text), answer.Vectors[i], _log);
            }

            var billed = shares.Sum();
            _spending.Ledger.Answered(Model, new TokenUsage(billed, 0, billed), _price?.CostOf(billed, 0));
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
        finally
        {
            foreach (var item in pending)
            {
                item.Charge?.Release(); // why in finally: Ctrl+C too gives the holds back (a no-op once settled)
            }
        }
    }

    private string CacheKey(string text) =>
        CacheKeys.ForEmbedding(_session.Endpoint.ProviderName, _session.Endpoint.Host, Model, Dimensions, text);
}

/// <summary>
/// How a batch's usage is shared out among its texts: in proportion to each text's own token count (counted offline),
/// rounded so the shares add up to exactly what the server billed (largest remainders get the odd tokens).
/// </summary>
public static class UsageShares
{
    /// <summary>Shares of <paramref name="billed"/> for texts of <paramref name="tokens"/> tokens each.</summary>
    public static int[] Split(int billed, IReadOnlyList<int> tokens)
    {
        var total = tokens.Sum(t => (long)t);
        if (tokens.Count == 0)
        {
            return [];
        }

        // why even shares when nothing was counted: an unknown tokenizer counts 0 for every text
        var exact = tokens.Select(t => total == 0 ? (double)billed / tokens.Count : (double)billed * t / total).ToArray();
        var shares = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = billed - shares.Sum();
        foreach (var i in Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - shares[i]).ThenBy(i => i).Take(left))
        {
            shares[i]++;
        }

        return shares;
    }
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

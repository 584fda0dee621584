using System.Diagnostics;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Chat;

/// <summary>
/// Chat for one cmdlet call: the cache first (when the settings use it), then the session's retry pipeline around one
/// provider attempt; only complete answers are cached. Fails only with <see cref="LlmException"/> (already classified
/// and redacted) or, when the caller cancels, <see cref="OperationCanceledException"/>. Thread-safe.
/// </summary>
public sealed partial class ChatService
{
    private readonly EngineSession _session;
    private readonly ILlmLog _log;
    private readonly RetryOptions _retry;
    private readonly FileResponseCache? _cache;
    private readonly LlmSettings _settings;
    private readonly CommandSpending _spending;

    internal ChatService(EngineSession session, LlmSettings settings, ILlmLog log, CommandSpending spending)
    {
        _session = session;
        _settings = settings;
        _log = log;
        _spending = spending;
        _retry = RetryOptions.From(settings);
        _cache = session.CacheFor(settings);
        Pacing = settings.IsReplay ? null : session.Limiter(settings.Model, settings);
        if (ModelFamilies.Problem(settings.Model, settings.Sampling.ReasoningEffort, settings.Sampling.Verbosity) is { } problem)
        {
            throw new LlmException(LlmErrorId.InvalidInput, problem); // why here: every item of the command would fail alike
        }

        if (ResponsesWire.Problem(settings) is { } wireProblem)
        {
            throw new LlmException(LlmErrorId.InvalidInput, wireProblem);
        }
    }

    /// <summary>The rate limiter this service's requests go through (for progress); null in replay.</summary>
    public RateLimiter? Pacing { get; }

    /// <summary>The command's own budget (-TokenBudget, -CostBudget) and, through the guard, the session's.</summary>
    public CommandSpending Spending => _spending;

    /// <summary>Ends when the cache entries of this service's answers are on disk (they are written off the request path).</summary>
    public Task WhenCacheWritten() => _cache?.WhenWritten() ?? Task.CompletedTask;

    /// <summary>OpenAI or Azure, for output objects.</summary>
    public string ProviderName => _session.Endpoint.ProviderName;

    /// <summary>
    /// Readies one request, in input order on the caller's thread: counts its prompt offline, refuses one that cannot
    /// fit the model's context window (ContextLengthExceeded), looks it up in the cache (a hit is free), and else holds
    /// its most possible cost in the budgets (waiting for requests in flight to settle when they hold what it needs;
    /// BudgetExceeded when it would cross one with nothing in flight). Nothing is sent yet.
    /// </summary>
    public async Task<PreparedChat> PrepareAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var key = CacheKey(request);
        if (key is not null && _cache!.TryGet<ChatResult>(key, request.Model, _log, out var hit))
        {
            return new PreparedChat(request, Measure(request).Prompt, key, hit, Charge: null);
        }

        return await PrepareSendAsync(request, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Readies a request that will be sent: refuses one that cannot fit the model's context window, holds its most possible cost.</summary>
    private async Task<PreparedChat> PrepareSendAsync(ChatRequest request, string? key, CancellationToken cancellationToken)
    {
        var (prompt, facts, tooLong) = Measure(request);
        if (tooLong)
        {
            var cap = request.Sampling.MaxTokens is { } max ? $" plus up to {max:N0} of answer (-MaxTokens)" : string.Empty;
            throw new LlmException(
                LlmErrorId.ContextLengthExceeded,
                $"The prompt has {prompt:N0} tokens{cap}; '{request.Model}' reads at most {facts!.ContextWindow:N0} in all. Shorten the prompt (Measure-LlmTokens counts it) or use a model with a larger context window; it was not sent.");
        }

        var charge = await _spending.Guard.HoldAsync(
            request.Model, prompt, request.Sampling.MaxTokens, cancellationToken, serviceTier: request.Delivery.ServiceTier).ConfigureAwait(false);
        return new PreparedChat(request, prompt, key, Hit: null, charge);
    }

    /// <summary>What a request would cost, for -WhatIf: nothing is sent or held.</summary>
    public ChatEstimate Estimate(ChatRequest request)
    {
        var (prompt, facts, tooLong) = Measure(request);
        var key = CacheKey(request);
        var cached = key is not null && _cache!.TryGet<ChatResult>(key, request.Model, NullLog.Instance, out _);
        var cap = request.Sampling.MaxTokens ?? facts?.MaxOutputTokens;
        var price = facts?.PriceFor(request.Delivery.ServiceTier);
        return new ChatEstimate(
            request.Model,
            prompt,
            cap,
            cached,
            cached ? 0 : price?.CostOf(prompt, 0),
            cached ? 0 : cap is { } most ? price?.CostOf(prompt, most) : null,
            tooLong);
    }

    /// <summary>The request's prompt tokens (counted offline), what is known of its model, and whether it cannot fit the model's context window.</summary>
    private (int Prompt, ModelFacts? Facts, bool TooLong) Measure(ChatRequest request)
    {
        var prompt = PromptEstimate.Of(request) + request.Wire.ContextTokens;
        var facts = _spending.Guard.Catalog.Find(request.Model);
        return (prompt, facts, facts?.ContextWindow is { } window && prompt + (request.Sampling.MaxTokens ?? 0) > window);
    }

    /// <summary>
    /// The answer to a prepared request: its cache hit, or the provider's answer with retries, settled in the budgets.
    /// With <paramref name="tools"/> and a request that offers tools, the model's tool calls are run and answered
    /// until it answers (see ChatService.Tools.cs).
    /// </summary>
    public async Task<ChatOutcome> CompleteAsync(PreparedChat prepared, CancellationToken cancellationToken, ToolLoopOptions? tools = null)
    {
        var started = Stopwatch.GetTimestamp();
        if (prepared.Hit is { } hit)
        {
            _spending.Ledger.CacheHit(prepared.Request.Model);
            return new ChatOutcome(hit, Cached: true, Stopwatch.GetElapsedTime(started)) { Cost = 0 };
        }

        if (tools is not null && prepared.Request.Tools is { Count: > 0 })
        {
            return await LoopAsync(prepared, tools, started, cancellationToken).ConfigureAwait(false);
        }

        var (result, cost) = await SendAsync(prepared, cancellationToken).ConfigureAwait(false);
        Store(prepared.CacheKey, prepared.Request, result);
        return new ChatOutcome(result, Cached: false, Stopwatch.GetElapsedTime(started)) { Cost = cost };
    }

    /// <summary>One request to the provider with retries and pacing, settled in the budgets; its answer and cost. Nothing is cached here.</summary>
    private async Task<(ChatResult Result, decimal? Cost)> SendAsync(PreparedChat prepared, CancellationToken cancellationToken)
    {
        var request = prepared.Request;
        try
        {
            var (limiter, tokens, allowance) = Paced(prepared);
            var result = await _session.Retry.ExecuteAsync(
                _retry,
                _log,
                token => limiter.SendAsync(tokens, allowance, _log, t => _session.Client.CompleteAsync(request, _retry.Timeout, t), r => r.Usage?.TotalTokens, token),
                cancellationToken).ConfigureAwait(false);
            return (result, Settle(prepared, result));
        }
        catch (LlmException failure) when (MayHaveBeenBilled(failure))
        {
            prepared.Charge?.Settle(usage: null); // why: the server did (some of) the work, so its whole hold counts as spent
            throw;
        }
        finally
        {
            prepared.Charge?.Release(); // why: a no-op once settled; a request the server refused, or cancelled, gives its hold back
        }
    }

    /// <summary>
    /// The limiter of the request's model and what the request costs against it: the prompt counted offline plus the
    /// completion cap, which providers reserve when they admit a request.
    /// </summary>
    private (RateLimiter Limiter, double Tokens, QuotaAllowance Allowance) Paced(PreparedChat prepared)
    {
        var request = prepared.Request;
        var limiter = request.Model == _settings.Model && Pacing is not null ? Pacing : _session.Limiter(request.Model, _settings);
        return (limiter, prepared.PromptTokens + (request.Sampling.MaxTokens ?? 0), new QuotaAllowance(_settings.RateLimitWait, _retry));
    }

    /// <summary>True for failures that came after the server took the request (a cut answer, a silence, garbage): it may have been billed.</summary>
    private static bool MayHaveBeenBilled(LlmException failure) => failure.ErrorId
        is LlmErrorId.ResponseIncomplete or LlmErrorId.RequestTimedOut or LlmErrorId.ResponseTooLarge or LlmErrorId.InvalidResponse;

    /// <summary>Settles the request's hold with its real usage and counts it in the ledger; its cost, null when the price is unknown.</summary>
    private decimal? Settle(PreparedChat prepared, ChatResult result)
    {
        prepared.Charge?.Settle(result.Usage);
        var catalog = _spending.Guard.Catalog;
        // why the answer's model too: an Azure deployment name has no price, the model the service names does
        var price = (catalog.Find(prepared.Request.Model) ?? catalog.Find(result.Model))?.PriceFor(prepared.Request.Delivery.ServiceTier);
        var cost = result.Usage is { } usage ? price?.CostOf(usage) : null;
        _spending.Ledger.Answered(prepared.Request.Model, result.Usage, cost);
        return cost;
    }

    private string? CacheKey(ChatRequest request) =>
        _cache is null ? null : CacheKeys.ForChat(ProviderName, _session.Endpoint.Host, request);

    private void Store(string? key, ChatRequest request, ChatResult result)
    {
        if (key is not null)
        {
            var preview = request.Messages.LastOrDefault(m => m.Role == "user")?.Content ?? request.Messages[^1].Content;
            _cache!.Put(key, new CacheEntryMetadata(CacheKinds.Chat, request.Model, ProviderName, _session.Endpoint.Host, preview), result, _log);
        }
    }
}

/// <summary>A request readied by <see cref="ChatService.PrepareAsync"/>: its prompt tokens, its cache hit or its hold in the budgets.</summary>
/// <param name="Request">The request.</param>
/// <param name="PromptTokens">Its prompt tokens, counted offline.</param>
/// <param name="CacheKey">Its cache key, when the call uses the cache.</param>
/// <param name="Hit">The cached answer, when there is one (free).</param>
/// <param name="Charge">What it holds in the budgets, when a budget is set and it is sent.</param>
public sealed record PreparedChat(ChatRequest Request, int PromptTokens, string? CacheKey, ChatResult? Hit, SpendCharge? Charge);

/// <summary>What a request would cost (-WhatIf), nothing sent.</summary>
/// <param name="Model">The model it names.</param>
/// <param name="PromptTokens">Its prompt tokens, counted offline.</param>
/// <param name="CompletionCap">The most answer tokens: -MaxTokens, else the model's most; null when unknown.</param>
/// <param name="Cached">True when the cache holds its answer: it costs nothing.</param>
/// <param name="MinCost">Dollars with an empty answer; null when the price is unknown.</param>
/// <param name="MaxCost">Dollars with the longest answer; null when the price or the cap is unknown.</param>
/// <param name="TooLong">True when it cannot fit the model's context window (it would not be sent).</param>
public sealed record ChatEstimate(string Model, int PromptTokens, int? CompletionCap, bool Cached, decimal? MinCost, decimal? MaxCost, bool TooLong);

using System.Diagnostics;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Resilience;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Chat;

/// <summary>
/// Chat for one cmdlet call: the cache first (when the settings use it), then the session's retry pipeline around one
/// provider attempt; only complete answers are cached. Fails only with <see cref="LlmException"/> (already classified
/// and redacted) or, when the caller cancels, <see cref="OperationCanceledException"/>. Thread-safe.
/// </summary>
public sealed class ChatService
{
    private readonly EngineSession _session;
    private readonly ILlmLog _log;
    private readonly RetryOptions _retry;
    private readonly FileResponseCache? _cache;
    private readonly LlmSettings _settings;

    internal ChatService(EngineSession session, LlmSettings settings, ILlmLog log)
    {
        _session = session;
        _settings = settings;
        _log = log;
        _retry = RetryOptions.From(settings);
        _cache = session.CacheFor(settings);
        Pacing = settings.IsReplay ? null : session.Limiter(settings.Model, settings);
    }

    /// <summary>The rate limiter this service's requests go through (for progress); null in replay.</summary>
    public RateLimiter? Pacing { get; }

    /// <summary>Ends when the cache entries of this service's answers are on disk (they are written off the request path).</summary>
    public Task WhenCacheWritten() => _cache?.WhenWritten() ?? Task.CompletedTask;

    /// <summary>OpenAI or Azure, for output objects.</summary>
    public string ProviderName => _session.Endpoint.ProviderName;

    /// <summary>One answer: from the cache, or from the provider with retries.</summary>
    public async Task<ChatOutcome> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var key = CacheKey(request);
        if (key is not null && _cache!.TryGet<ChatResult>(key, request.Model, _log, out var hit))
        {
            return new ChatOutcome(hit, Cached: true, Stopwatch.GetElapsedTime(started));
        }

        var (limiter, tokens, allowance) = Paced(request);
        var result = await _session.Retry.ExecuteAsync(
            _retry,
            _log,
            token => limiter.SendAsync(tokens, allowance, _log, t => _session.Client.CompleteAsync(request, _retry.Timeout, t), r => r.Usage?.TotalTokens, token),
            cancellationToken).ConfigureAwait(false);
        Store(key, request, result);
        return new ChatOutcome(result, Cached: false, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Streams an answer: text deltas, then the outcome. Retries cover the attempt up to its first piece of text
    /// (nothing was shown yet); after that a failure ends the stream with the error. A hit is one delta and the outcome.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var key = CacheKey(request);
        if (key is not null && _cache!.TryGet<ChatResult>(key, request.Model, _log, out var hit))
        {
            yield return ChatStreamUpdate.Delta(hit.Content);
            yield return ChatStreamUpdate.Done(new ChatOutcome(hit, Cached: true, Stopwatch.GetElapsedTime(started)));
            yield break;
        }

        var (limiter, tokens, allowance) = Paced(request);
        var updates = await _session.Retry.ExecuteAsync(
            _retry, _log, token => limiter.SendAsync(tokens, allowance, _log, t => OpenAsync(request, t), _ => null, token), cancellationToken).ConfigureAwait(false);
        await using (updates.ConfigureAwait(false))
        {
            do
            {
                if (updates.Current.Completed is { } outcome)
                {
                    Store(key, request, outcome.Result); // why: only once complete; a cut stream writes nothing
                    yield return ChatStreamUpdate.Done(outcome with { Duration = Stopwatch.GetElapsedTime(started) });
                    yield break;
                }

                yield return updates.Current;
            }
            while (await updates.MoveNextAsync().ConfigureAwait(false));
        }
    }

    /// <summary>One attempt at a stream: open it and wait for its first update.</summary>
    private async Task<IAsyncEnumerator<ChatStreamUpdate>> OpenAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var updates = _session.Client.StreamAsync(request, _retry.Timeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            if (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                return updates;
            }
        }
        catch
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await updates.DisposeAsync().ConfigureAwait(false);
        throw new LlmException(LlmErrorId.RequestFailed, "The stream ended before it said anything.") { IsTransient = true };
    }

    /// <summary>
    /// The limiter of the request's model and what the request costs against it: the prompt counted offline plus the
    /// completion cap, which providers reserve when they admit a request.
    /// </summary>
    private (RateLimiter Limiter, double Tokens, QuotaAllowance Allowance) Paced(ChatRequest request)
    {
        var limiter = request.Model == _settings.Model && Pacing is not null ? Pacing : _session.Limiter(request.Model, _settings);
        var prompt = TokenCounter.ForModel(request.Model).Counter.EstimateChat(request.Messages);
        return (limiter, prompt + (request.Sampling.MaxTokens ?? 0), new QuotaAllowance(_settings.RateLimitWait, _retry));
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

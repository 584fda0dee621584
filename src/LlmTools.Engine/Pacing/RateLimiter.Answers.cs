using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Resilience;

namespace LlmTools.Engine.Pacing;

/// <summary>What the limiter learns from answers: limits and remaining quota from headers, pauses from refusals.</summary>
public sealed partial class RateLimiter
{
    // why: after a refusal that came with headers the buckets already hold requests back; this short pause (doubling
    // with each refusal in a row) only keeps a wrong estimate from turning into a herd of refusals
    private static readonly TimeSpan RefusalPauseWithHeaders = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RefusalPauseFloor = TimeSpan.FromMilliseconds(50);

    // why: past this many in flight, the rate buckets alone decide (no -ThrottleLimit is higher)
    private const int GrownUp = 256;

    /// <summary>
    /// Sends one request under the limiter: waits for quota, sends, and learns from the answer. A refusal (429) pauses
    /// every request of the limiter and is rethrown for the retry layer, which tries again without counting an attempt.
    /// </summary>
    public async Task<T> SendAsync<T>(
        double tokens, QuotaAllowance allowance, ILlmLog log, Func<CancellationToken, Task<T>> send, Func<T, double?> usedTokens, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(tokens, allowance, log, cancellationToken).ConfigureAwait(false);
        var answer = RateLimitCapture.Begin();
        try
        {
            var result = await send(cancellationToken).ConfigureAwait(false);
            Answered(lease, answer.Snapshot, usedTokens(result), log);
            return result;
        }
        catch (LlmException ex) when (ex.ErrorId == LlmErrorId.RateLimited)
        {
            var answeredBefore = Refused(lease, answer.Snapshot, ex.RetryAfter, allowance.Retry, log);
            allowance.Refused(ex, answeredBefore); // why: throws when the run makes no progress at all
            throw;
        }
        catch (LlmException) when (answer.Answered)
        {
            Answered(lease, answer.Snapshot, usedTokens: null, log); // why: a 400 or 500 still says what quota is left
            throw;
        }
    }

    private void Answered(RateLease lease, RateLimitSnapshot? snapshot, double? usedTokens, ILlmLog log)
    {
        string? learned;
        lock (_gate)
        {
            _refusedInRow = 0;
            _answered++;
            learned = Learn(lease, snapshot);
            if (snapshot?.Tokens.Remaining is null && usedTokens is { } used && used < lease.Tokens)
            {
                _tokens.Return(lease.Tokens - used); // why: no server view to trust, so the real usage settles the estimate
            }

            _concurrency = _concurrency >= GrownUp ? double.PositiveInfinity : _concurrency + 1;

            Release(lease);
        }

        if (learned is not null)
        {
            log.Verbose(learned);
        }
    }

    /// <returns>How many requests of the limiter had been answered so far (to tell whether the run makes progress).</returns>
    private long Refused(RateLease lease, RateLimitSnapshot? snapshot, TimeSpan? serverAsked, RetryOptions retry, ILlmLog log)
    {
        string? learned;
        TimeSpan? newPause = null;
        long answered;
        lock (_gate)
        {
            answered = _answered;
            _refusedInRow++;
            learned = Learn(lease, snapshot);
            // why capped: MAX_RETRY_DELAY bounds every single wait, a server's request included; why a floor: a server
            // that refuses and says "retry after 0" must not be hammered in a loop
            var floor = TimeSpan.FromTicks(Math.Min(retry.MaxRetryDelay.Ticks, RefusalPauseFloor.Ticks << Math.Min(_refusedInRow - 1, 16)));
            var pause = serverAsked is { } asked ? (asked <= retry.MaxRetryDelay ? asked : retry.MaxRetryDelay)
                : snapshot is null ? retry.DelayFor(_refusedInRow - 1, null, Random.Shared.NextDouble())
                : TimeSpan.FromTicks(Math.Min(retry.MaxRetryDelay.Ticks, RefusalPauseWithHeaders.Ticks << Math.Min(_refusedInRow - 1, 16)));
            pause = pause < floor ? floor : pause;
            if (!_requests.IsKnown && !_tokens.IsKnown)
            {
                _concurrency = Math.Max(1, Math.Min(_concurrency, _inFlight) / 2); // why: nothing advertised, so fewer at once is all there is to go on
            }

            var now = Now;
            if (now + pause.TotalSeconds > _pausedUntil)
            {
                _pausedUntil = now + pause.TotalSeconds;
                newPause = pause;
            }

            Release(lease);
        }

        if (learned is not null)
        {
            log.Verbose(learned);
        }

        if (newPause is { } paused)
        {
            var asked = serverAsked is null ? string.Empty : $" (server asked for {RetryOptions.Describe(serverAsked.Value)})";
            log.Waiting($"Refused (429) by the rate limit of {Name}: every request for it waits {paused.TotalSeconds:0.###} s{asked}; {_refusedInRow} refused in a row.", paused);
        }

        return answered;
    }

    /// <summary>Learns limits from <paramref name="snapshot"/> and syncs the buckets; a line for -Verbose when a limit changed.</summary>
    private string? Learn(RateLease lease, RateLimitSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return null;
        }

        var now = Now;
        var changed = _requests.Learn(snapshot.Requests, now) | _tokens.Learn(snapshot.Tokens, now);

        // why the newest send only: answers arrive out of order, and an older one describes an older state
        if (lease.RequestsBefore >= _lastSyncedSend)
        {
            _lastSyncedSend = lease.RequestsBefore;
            var mayRaise = _unanswered.Min >= lease.RequestsBefore;
            if (snapshot.Requests.Remaining is { } requestsLeft)
            {
                _requests.Sync(requestsLeft, _sentRequests - lease.RequestsBefore - 1, now, mayRaise);
            }

            if (snapshot.Tokens.Remaining is { } tokensLeft)
            {
                _tokens.Sync(tokensLeft, _sentTokens - lease.TokensBefore - lease.Tokens, now, mayRaise);
            }
        }

        if (!changed)
        {
            return null;
        }

        string Describe(QuotaBucket bucket, string what) =>
            !bucket.IsKnown ? $"no {what} limit" : $"{bucket.PerMinute:#,0} {what} per minute{(bucket.IsConfigured ? " (configured)" : string.Empty)}";
        return $"Rate limits of {Name}: {Describe(_requests, "requests")}, {Describe(_tokens, "tokens")} (learned from the server's x-ratelimit headers).";
    }

    private void Release(RateLease lease)
    {
        if (!lease.Released)
        {
            lease.Released = true;
            _inFlight--;
            _unanswered.Remove(lease.RequestsBefore);
            Signal();
        }
    }

    /// <summary>
    /// A request that was sent: what it reserved, and where the counters stood (the requests before it are its place in
    /// the sending order), to read its answer's headers.
    /// </summary>
    public sealed class RateLease : IDisposable
    {
        private readonly RateLimiter _owner;

        internal RateLease(RateLimiter owner, double tokens, double requestsBefore, double tokensBefore)
        {
            _owner = owner;
            Tokens = tokens;
            RequestsBefore = requestsBefore;
            TokensBefore = tokensBefore;
        }

        internal double Tokens { get; }

        internal double RequestsBefore { get; }

        internal double TokensBefore { get; }

        internal bool Released { get; set; }

        /// <summary>Ends the request (no answer, a cancellation): it no longer counts as in flight.</summary>
        public void Dispose()
        {
            lock (_owner._gate)
            {
                _owner.Release(this);
            }
        }
    }
}

/// <summary>
/// What one request (over all its attempts) may spend on refusals: RATE_LIMIT_WAIT of waiting for quota once the server
/// refused it (waiting in line behind other requests is pacing, and costs nothing from it), and five refusals in a row
/// while no other request of its limiter got through (the run makes no progress: the quota is gone, not busy).
/// </summary>
public sealed class QuotaAllowance(TimeSpan budget, RetryOptions retry)
{
    /// <summary>Refusals in a row, with no other request answered between them, after which a request gives up.</summary>
    public const int MostRefusalsWithoutProgress = 5;

    private TimeSpan _waitedAfterRefusal;
    private long _answeredAtLastRefusal = -1;
    private int _refusedWithoutProgress;

    /// <summary>The retry settings of the call (backoff for refusals that name no wait).</summary>
    public RetryOptions Retry { get; } = retry;

    /// <summary>How often the server refused this request.</summary>
    public int Refusals { get; private set; }

    /// <summary>Counts a refusal; throws RateLimited (not retried) when <see cref="MostRefusalsWithoutProgress"/> came with no progress between.</summary>
    internal void Refused(LlmException refusal, long answeredSoFar)
    {
        Refusals++;
        _refusedWithoutProgress = answeredSoFar == _answeredAtLastRefusal ? _refusedWithoutProgress + 1 : 1;
        _answeredAtLastRefusal = answeredSoFar;
        if (_refusedWithoutProgress >= MostRefusalsWithoutProgress)
        {
            throw new LlmException(
                LlmErrorId.RateLimited,
                $"{refusal.Message} Refused {_refusedWithoutProgress} times in a row over {_waitedAfterRefusal.TotalSeconds:0.#} s of waiting while no other request of this model got through, so the quota looks used up rather than busy; the request was not sent again.",
                refusal.Status,
                refusal);
        }
    }

    internal void Waited(TimeSpan waited)
    {
        if (Refusals > 0)
        {
            _waitedAfterRefusal += waited;
        }
    }

    /// <summary>Throws RateLimited (not retried) when waiting <paramref name="wait"/> more would overrun the budget.</summary>
    internal void EnsureCanWait(TimeSpan wait, string limiter, string why)
    {
        if (_waitedAfterRefusal + wait <= budget)
        {
            return;
        }

        var history = Refusals == 0
            ? string.Empty
            : $" after {Refusals} refusal{(Refusals == 1 ? string.Empty : "s")} and {_waitedAfterRefusal.TotalSeconds:0.#} s of waiting";
        throw new LlmException(
            LlmErrorId.RateLimited,
            $"Rate limited: {limiter} has no quota for this request for another {wait.TotalSeconds:0.#} s ({why}){history}, more than RATE_LIMIT_WAIT ({budget.TotalSeconds:0.###} s) allows. It was not sent; run it again later, or raise RATE_LIMIT_WAIT in config.ini.");
    }
}

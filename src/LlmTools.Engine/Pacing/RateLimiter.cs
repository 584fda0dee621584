using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Pacing;

/// <summary>
/// Paces the requests of one (endpoint, credential, model) to the provider's limits, for the whole process: every
/// runspace and cmdlet using that key and model shares one limiter, because the provider's limit is shared too.
/// Before a request is sent it waits its turn (first come, first served; a refused request first) until the request
/// and token buckets hold its cost and no pause is on; the answer's x-ratelimit headers then correct what the limiter
/// believes. A 429 pauses every request of the limiter until the quota has refilled. Requests in flight start at one
/// and grow by one per answer (doubling per round trip, as TCP's slow start): the first answer teaches the limits
/// before a burst goes out, and a cold connection pool, which delays when requests reach the server, cannot turn
/// one estimate into a burst the server refuses. A server that advertises nothing and refuses halves the requests
/// in flight.
/// </summary>
public sealed partial class RateLimiter
{
    private static readonly ConcurrentDictionary<string, RateLimiter> Shared = new(StringComparer.Ordinal);

    // why: a pause shorter than this, or one request's steady pacing, is not worth a verbose line
    private static readonly TimeSpan NotableWait = TimeSpan.FromSeconds(1);

    // why: a command whose requests have waited this long in all says so once, even without -Verbose
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

    // why keyed by the log: one log is one command, and each command warns once
    private static readonly ConditionalWeakTable<ILlmLog, StrongBox<TimeSpan>> WaitedPerCommand = new();

    private readonly object _gate = new();
    private readonly Turnstile _turns = new();
    private readonly QuotaBucket _requests = new();
    private readonly QuotaBucket _tokens = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Queue<(double At, double Tokens)> _lastMinute = new();
    private TaskCompletionSource _changed = NewSignal();
    private double _pausedUntil;
    private int _refusedInRow;
    private long _answered;
    private int _inFlight;
    private double _concurrency = 1;
    private double _sentRequests;
    private double _sentTokens;
    private double _lastSyncedSend = double.NegativeInfinity;

    // why: the sending order of the requests still in flight; the oldest tells whether an answer may raise the level
    private readonly SortedSet<double> _unanswered = [];

    /// <summary>A limiter of its own (tests, tools); the engine uses <see cref="For"/>.</summary>
    public RateLimiter(string name, TimeProvider? time = null)
    {
        Name = name;
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
    }

    /// <summary>What the messages call it: "'gpt-4o-mini' at api.openai.com".</summary>
    public string Name { get; }

    /// <summary>The process-wide limiter of <paramref name="clientKey"/> (endpoint and credential) and <paramref name="model"/>.</summary>
    public static RateLimiter For(string clientKey, string model, string endpointDisplay) =>
        Shared.GetOrAdd(clientKey + "|" + model, _ => new RateLimiter($"'{model}' at {endpointDisplay}"));

    /// <summary>Limits the user set (null: learn from the server). They win over what the server advertises.</summary>
    public void Configure(int? requestsPerMinute, int? tokensPerMinute)
    {
        lock (_gate)
        {
            _requests.Configure(requestsPerMinute, Now);
            _tokens.Configure(tokensPerMinute, Now);
        }
    }

    /// <summary>
    /// Waits until a request of <paramref name="tokens"/> estimated tokens may be sent, and reserves it. Fails with
    /// RateLimited when the wait would overrun what <paramref name="allowance"/> has left.
    /// </summary>
    private async Task<RateLease> AcquireAsync(double tokens, QuotaAllowance allowance, ILlmLog log, CancellationToken cancellationToken)
    {
        var started = Now;
        await _turns.EnterAsync(first: allowance.Refusals > 0, cancellationToken).ConfigureAwait(false);
        var told = false;
        try
        {
            while (true)
            {
                Task changed;
                TimeSpan wait;
                string? why;
                lock (_gate)
                {
                    var now = Now;
                    (wait, why) = WaitFor(tokens, now);
                    if (wait <= TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
                    {
                        return Reserve(tokens, now);
                    }

                    changed = _changed.Task;
                }

                if (wait != Timeout.InfiniteTimeSpan)
                {
                    allowance.EnsureCanWait(wait, Name, why!);
                    if (!told && wait >= NotableWait)
                    {
                        log.Verbose($"Pacing {Name}: waiting {wait.TotalSeconds:0.0} s for {why}.");
                        told = true;
                    }
                }

                // why WhenAny: an answer that says more quota is left, or a request that ends, may shorten the wait
                var before = Now;
                await Task.WhenAny(Task.Delay(wait, _time, cancellationToken), changed).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (wait != Timeout.InfiniteTimeSpan)
                {
                    NoteWait(TimeSpan.FromSeconds(Now - before), log);
                }
            }
        }
        finally
        {
            _turns.Leave();
            allowance.Waited(TimeSpan.FromSeconds(Now - started));
        }
    }

    /// <summary>Requests and tokens sent in the last minute, what the limits are, and whether requests wait: for progress.</summary>
    public RateLimitStatus Status()
    {
        lock (_gate)
        {
            var now = Now;
            Forget(now);
            return new RateLimitStatus(
                _lastMinute.Count,
                _lastMinute.Sum(s => s.Tokens),
                _requests.IsKnown ? _requests.PerMinute : null,
                _tokens.IsKnown ? _tokens.PerMinute : null,
                _pausedUntil > now ? TimeSpan.FromSeconds(_pausedUntil - now) : null);
        }
    }

    private double Now => _time.GetElapsedTime(_origin).TotalSeconds;

    private void NoteWait(TimeSpan waited, ILlmLog log)
    {
        var total = WaitedPerCommand.GetOrCreateValue(log);
        var before = total.Value;
        total.Value += waited;
        if (before < LongWait && total.Value >= LongWait)
        {
            log.Warning($"Requests to {Name} have waited {total.Value.TotalSeconds:0} s for the provider's rate limit; the command goes on at the pace the limit allows. -Verbose shows the limits and each pause.");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long the head of the queue must still wait, and for what; infinite means until a request ends.</summary>
    private (TimeSpan Wait, string? Why) WaitFor(double tokens, double now)
    {
        if (_pausedUntil > now)
        {
            return (TimeSpan.FromSeconds(_pausedUntil - now), "the pause the server asked for after refusing a request (429)");
        }

        if (_inFlight >= Math.Floor(_concurrency))
        {
            return (Timeout.InfiniteTimeSpan, null);
        }

        var forRequests = _requests.SecondsUntil(1, now);
        var forTokens = _tokens.SecondsUntil(tokens, now);
        return forRequests >= forTokens
            ? (TimeSpan.FromSeconds(forRequests), $"request quota ({_requests.PerMinute:0} per minute)")
            : (TimeSpan.FromSeconds(forTokens), $"token quota ({_tokens.PerMinute:0} per minute; this request needs about {tokens:0})");
    }

    private RateLease Reserve(double tokens, double now)
    {
        _requests.Take(1);
        _tokens.Take(tokens);
        _inFlight++;
        _lastMinute.Enqueue((now, tokens));
        Forget(now);
        var lease = new RateLease(this, tokens, _sentRequests, _sentTokens);
        _unanswered.Add(_sentRequests);
        _sentRequests++;
        _sentTokens += tokens;
        return lease;
    }

    private void Forget(double now)
    {
        while (_lastMinute.TryPeek(out var sent) && sent.At < now - 60)
        {
            _lastMinute.Dequeue();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }
}

/// <summary>What the pacing looks like now, for progress lines.</summary>
/// <param name="RequestsLastMinute">Requests sent in the last 60 s.</param>
/// <param name="TokensLastMinute">Estimated tokens of those requests.</param>
/// <param name="RequestLimit">Requests per minute, when known.</param>
/// <param name="TokenLimit">Tokens per minute, when known.</param>
/// <param name="PausedFor">How much longer every request waits after a refusal, when a pause is on.</param>
public sealed record RateLimitStatus(int RequestsLastMinute, double TokensLastMinute, double? RequestLimit, double? TokenLimit, TimeSpan? PausedFor);

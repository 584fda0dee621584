using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>
/// OpenAI-style rate limits: a request bucket and a token bucket that each hold up to their limit and refill
/// continuously over <see cref="Window"/>. A request is admitted when both hold its cost (1 request; its prompt
/// characters / 4 plus max_tokens, as OpenAI estimates at admission); a refused one still costs a request, as OpenAI
/// documents. Every answer carries x-ratelimit-* headers computed at admission (sent after any latency, as the service
/// does) and a refusal is a 429 whose message says "Please try again in ...", with no Retry-After.
/// </summary>
public sealed class ServerRateLimits
{
    private readonly Lock _gate = new();
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
    private double _requests;
    private double _tokens;
    private double _stamp;
    private bool _started;

    /// <summary>Requests per window (advertised as the per-minute limit); null: no request limit.</summary>
    public int? Requests { get; init; }

    /// <summary>Tokens per window; null: no token limit.</summary>
    public int? Tokens { get; init; }

    /// <summary>How long an empty bucket takes to refill; one minute at OpenAI, shorter to keep tests quick.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>False: answers carry no x-ratelimit headers (vLLM, Ollama, a proxy), refusals only.</summary>
    public bool SendHeaders { get; init; } = true;

    /// <summary>Requests admitted so far.</summary>
    public int Admitted { get; private set; }

    /// <summary>Requests refused with 429 so far.</summary>
    public int Refused { get; private set; }

    /// <summary>What OpenAI would charge a request's token bucket at admission.</summary>
    public static int EstimateTokens(JsonObject body, LlmRoute route)
    {
        var characters = route == LlmRoute.Chat
            ? ChatReplies.AllTexts(body).Sum(t => t.Length)
            : body["input"] switch
            {
                JsonArray inputs => inputs.Sum(i => JsonRead.Str(i)?.Length ?? 0),
                var one => JsonRead.Str(one)?.Length ?? 0,
            };
        var cap = JsonRead.Int(body["max_completion_tokens"]) ?? JsonRead.Int(body["max_tokens"]) ?? 0;
        return ((characters + 3) / 4) + cap;
    }

    /// <summary>Admits or refuses a request of <paramref name="tokens"/>; sets the headers either way. True when admitted.</summary>
    internal bool Admit(HttpResponse response, int tokens, out string? refusal)
    {
        lock (_gate)
        {
            var now = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
            if (!_started)
            {
                _requests = Requests ?? 0;
                _tokens = Tokens ?? 0;
                _started = true;
            }

            _requests = Refill(_requests, Requests, now);
            _tokens = Refill(_tokens, Tokens, now);
            _stamp = now;
            refusal = null;
            if (Requests is { } r && _requests < 1)
            {
                refusal = Message("requests per min (RPM)", r, 1, SecondsUntil(_requests, r, 1));
            }
            else if (Tokens is { } t && _tokens < Math.Min(tokens, t))
            {
                refusal = Message("tokens per min (TPM)", t, tokens, SecondsUntil(_tokens, t, Math.Min(tokens, t)));
            }

            if (Requests is not null)
            {
                _requests = Math.Max(0, _requests - 1); // why: refused requests count against the limit too
            }

            if (refusal is null)
            {
                _tokens -= Tokens is null ? 0 : tokens;
                Admitted++;
            }
            else
            {
                Refused++;
            }

            if (SendHeaders)
            {
                Headers(response, "requests", Requests, _requests);
                Headers(response, "tokens", Tokens, _tokens);
            }

            return refusal is null;
        }

        string Message(string what, int limit, int requested, double wait) =>
            $"Rate limit reached for loopback-model in organization org-loopback on {what}: Limit {limit}, Used {limit}, Requested {requested}. Please try again in {Duration(wait)}. Visit https://platform.openai.com/account/rate-limits to learn more.";
    }

    private double Refill(double level, int? limit, double now) =>
        limit is { } l ? Math.Min(l, level + (l * (now - _stamp) / Window.TotalSeconds)) : 0;

    private double SecondsUntil(double level, int limit, double needed) => Math.Max(0, (needed - level) * Window.TotalSeconds / limit);

    private void Headers(HttpResponse response, string dimension, int? limit, double level)
    {
        if (limit is not { } l)
        {
            return;
        }

        response.Headers[$"x-ratelimit-limit-{dimension}"] = l.ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-remaining-{dimension}"] = Math.Max(0, Math.Floor(level)).ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-reset-{dimension}"] = Duration(SecondsUntil(level, l, l));
    }

    // why Go style: OpenAI writes "1s", "6m0s", "120ms"
    private static string Duration(double seconds) => seconds switch
    {
        < 1 => $"{Math.Ceiling(seconds * 1000).ToString(CultureInfo.InvariantCulture)}ms",
        < 60 => $"{Math.Round(seconds, 3).ToString(CultureInfo.InvariantCulture)}s",
        _ => $"{(int)(seconds / 60)}m{Math.Round(seconds % 60, 3).ToString(CultureInfo.InvariantCulture)}s",
    };
}

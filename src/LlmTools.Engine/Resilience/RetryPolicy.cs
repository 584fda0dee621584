using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using Polly;
using Polly.Retry;

namespace LlmTools.Engine.Resilience;

/// <summary>How hard to try: attempts, TinyTroupe-style exponential backoff, the longest wait, the silence timeout.</summary>
/// <param name="MaxAttempts">Attempts per request, the first included.</param>
/// <param name="WaitingTime">First retry delay.</param>
/// <param name="BackoffFactor">Growth of the delay per retry.</param>
/// <param name="MaxRetryDelay">Upper bound of any single delay, Retry-After included.</param>
/// <param name="Timeout">The longest the server may stay silent (see <see cref="SilenceTimer"/>).</param>
public sealed record RetryOptions(int MaxAttempts, TimeSpan WaitingTime, double BackoffFactor, TimeSpan MaxRetryDelay, TimeSpan Timeout)
{
    /// <summary>A wait the server asked for, as messages say it: "2.5 s", or "a day or more" for an absurd Retry-After (bounded at a day).</summary>
    public static string Describe(TimeSpan asked) => asked >= TimeSpan.FromDays(1) ? "a day or more" : $"{asked.TotalSeconds:0.###} s";

    /// <summary>The options <paramref name="settings"/> name.</summary>
    public static RetryOptions From(LlmSettings settings) =>
        new(settings.MaxAttempts, settings.WaitingTime, settings.BackoffFactor, settings.MaxRetryDelay, settings.Timeout);

    /// <summary>
    /// Delay before retry number <paramref name="retry"/> (0-based): WAITING_TIME × FACTOR^retry with ±20 %
    /// jitter, or what the server asked for (Retry-After), never more than <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan DelayFor(int retry, TimeSpan? serverAsked, double jitterSample)
    {
        if (serverAsked is { } asked)
        {
            return asked <= MaxRetryDelay ? asked : MaxRetryDelay;
        }

        var seconds = WaitingTime.TotalSeconds * Math.Pow(BackoffFactor, retry);
        seconds *= 0.8 + (0.4 * jitterSample); // why: clients that failed together must not retry together
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }
}

/// <summary>
/// The engine's only retry layer (SDK retries are off), built once per engine session. What differs per call (the
/// options, the log, the attempts counted so far) travels in the Polly context, so one pipeline serves every call of
/// the session. It reads the classification the provider client made (<see cref="LlmException.IsTransient"/>,
/// <see cref="LlmException.RetryAfter"/>) and never looks at a response itself. A rate-limit refusal (429) is tried
/// again at once without counting an attempt: the rate limiter has paused the request until there is quota, and
/// RATE_LIMIT_WAIT, not MAX_ATTEMPTS, bounds how long it may wait.
/// </summary>
internal static class RetryPipeline
{
    private static readonly ResiliencePropertyKey<Call> CallKey = new("LlmTools.Call");

    public static ResiliencePipeline Build() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue, // why: the per-call limits are applied in ShouldHandle
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is LlmException { IsTransient: true } failure && CallOf(args.Context).TryAgain(failure)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(IsRefusal(Failure(args.Outcome))
                ? TimeSpan.Zero
                : CallOf(args.Context).Options.DelayFor(CallOf(args.Context).Counted - 1, Failure(args.Outcome).RetryAfter, Random.Shared.NextDouble())),
            OnRetry = args =>
            {
                var call = CallOf(args.Context);
                var failure = Failure(args.Outcome);
                if (IsRefusal(failure))
                {
                    call.Log.Verbose($"{failure.Message} Trying again when the rate limit allows (refusals do not count against MAX_ATTEMPTS).");
                    return ValueTask.CompletedTask;
                }

                var why = failure.RetryAfter is { } asked ? $" (server asked for {RetryOptions.Describe(asked)})" : string.Empty;
                call.Log.Waiting($"Attempt {call.Counted} of {call.Options.MaxAttempts} failed: {failure.Message} Retrying in {args.RetryDelay.TotalSeconds:0.###} s{why}.", args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or attempts run out.</summary>
    public static async Task<T> ExecuteAsync<T>(
        this ResiliencePipeline pipeline, RetryOptions options, ILlmLog log, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, new Call(options, log));
        var attempts = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await pipeline.ExecuteAsync(
                async (context, attempt) =>
                {
                    Interlocked.Increment(ref attempts);
                    return await attempt(context.CancellationToken).ConfigureAwait(false);
                },
                context,
                attempt).ConfigureAwait(false);
        }
        catch (LlmException ex) when (ex.IsTransient && attempts > 1)
        {
            // why: "rate limited" alone does not say whether the script waited a second or ten minutes
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            throw new LlmException(ex.ErrorId, $"{ex.Message} Gave up after {attempts} attempts over {elapsed.TotalSeconds:0.#} s (MAX_ATTEMPTS {options.MaxAttempts}).", ex.Status, ex)
            {
                IsTransient = true,
                RetryAfter = ex.RetryAfter,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // why only transient ones: a 429 for an exhausted quota (QuotaExceeded) or a spent RATE_LIMIT_WAIT is final
    private static bool IsRefusal(LlmException failure) => failure is { ErrorId: LlmErrorId.RateLimited, IsTransient: true };

    private static Call CallOf(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);

    // why a cast: ShouldHandle retries only LlmExceptions, so DelayGenerator and OnRetry only ever see one
    private static LlmException Failure<T>(Outcome<T> outcome) => (LlmException)outcome.Exception!;

    /// <summary>One call's options, log and the failed attempts that count against MAX_ATTEMPTS.</summary>
    private sealed class Call(RetryOptions options, ILlmLog log)
    {
        public RetryOptions Options => options;

        public ILlmLog Log => log;

        public int Counted { get; private set; }

        public bool TryAgain(LlmException failure)
        {
            if (IsRefusal(failure))
            {
                return true;
            }

            Counted++;
            return Counted < Math.Min(options.MaxAttempts, SilenceTimer.AttemptsFor(failure));
        }
    }
}

using LlmTools.Engine.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlmTools.Engine.Resilience;

/// <summary>
/// The engine's only retry layer (SDK retries are off): per-attempt timeout inside exponential backoff with
/// jitter that honours Retry-After / retry-after-ms up to MAX_RETRY_DELAY, each retry a verbose line.
/// </summary>
public static class RetryPipelineFactory
{
    /// <param name="options">Attempts, delays and timeout.</param>
    /// <param name="log">Receives one line per retry.</param>
    /// <param name="describe">Turns a failure into the user-facing exception (for the retry line).</param>
    /// <param name="withTimeout">False for streams, whose timeout is per chunk and handled by the caller.</param>
    public static ResiliencePipeline Create(RetryOptions options, ILlmLog log, Func<Exception, LlmException> describe, bool withTimeout = true)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && FaultClassifier.IsTransient(ex)),
                DelayGenerator = args =>
                {
                    var serverAsked = describe(args.Outcome.Exception!).RetryAfter;
                    return ValueTask.FromResult<TimeSpan?>(options.DelayFor(args.AttemptNumber, serverAsked, Random.Shared.NextDouble()));
                },
                OnRetry = args =>
                {
                    var failure = describe(args.Outcome.Exception!);
                    var why = failure.RetryAfter is { } asked ? $" (server asked for {asked.TotalSeconds:0.###} s)" : string.Empty;
                    log.Verbose($"Attempt {args.AttemptNumber + 1} of {options.MaxAttempts} failed: {failure.Message} Retrying in {args.RetryDelay.TotalSeconds:0.###} s{why}.");
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (withTimeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout });
        }

        return builder.Build();
    }
}

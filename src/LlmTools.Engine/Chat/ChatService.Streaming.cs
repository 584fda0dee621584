using System.Diagnostics;
using System.Runtime.CompilerServices;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Resilience;

namespace LlmTools.Engine.Chat;

/// <summary>
/// Streamed chat: text deltas as they arrive, then the outcome; with tools, each turn of the loop streams in turn.
/// Retries cover an attempt up to its first piece of text.
/// </summary>
public sealed partial class ChatService
{
    /// <summary>
    /// Streams an answer: text deltas, then the outcome. Retries cover the attempt up to its first piece of text
    /// (nothing was shown yet); after that a failure ends the stream with the error. A hit is one delta and the outcome.
    /// With <paramref name="tools"/>, each turn of the tool-call loop streams in turn.
    /// </summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(
        PreparedChat prepared, [EnumeratorCancellation] CancellationToken cancellationToken, ToolLoopOptions? tools = null)
    {
        var started = Stopwatch.GetTimestamp();
        if (prepared.Hit is { } hit)
        {
            _spending.Ledger.CacheHit(prepared.Request.Model);
            yield return ChatStreamUpdate.Delta(hit.Content);
            yield return ChatStreamUpdate.Done(new ChatOutcome(hit, Cached: true, Stopwatch.GetElapsedTime(started)) { Cost = 0 });
            yield break;
        }

        var exchange = tools is not null && prepared.Request.Tools is { Count: > 0 } ? new ToolExchange(prepared.Request, tools) : null;
        var turn = prepared;
        while (true)
        {
            ChatOutcome? outcome = null;
            await foreach (var update in StreamTurnAsync(turn, cancellationToken).ConfigureAwait(false))
            {
                if (update.Completed is { } completed)
                {
                    outcome = completed;
                }
                else
                {
                    yield return update;
                }
            }

            if (outcome is null)
            {
                throw new LlmException(LlmErrorId.ResponseIncomplete, "The stream ended without a complete answer.");
            }

            if (exchange is null)
            {
                Store(prepared.CacheKey, prepared.Request, outcome.Result); // why only now: a cut stream writes nothing
                yield return ChatStreamUpdate.Done(outcome with { Duration = Stopwatch.GetElapsedTime(started) });
                yield break;
            }

            if (await NextTurnAsync(exchange, outcome.Result, outcome.Cost, cancellationToken).ConfigureAwait(false) is { } next)
            {
                turn = next;
                continue;
            }

            yield return ChatStreamUpdate.Done(Finished(prepared, exchange, outcome.Result, started));
            yield break;
        }
    }

    /// <summary>One streamed request: its text deltas, then its outcome, settled in the budgets (not cached).</summary>
    private async IAsyncEnumerable<ChatStreamUpdate> StreamTurnAsync(PreparedChat prepared, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = prepared.Request;
        var shown = false;
        try
        {
            var (limiter, tokens, allowance) = Paced(prepared);
            var updates = await _session.Retry.ExecuteAsync(
                _retry, _log, token => limiter.SendAsync(tokens, allowance, _log, t => OpenAsync(request, t), _ => null, token), cancellationToken).ConfigureAwait(false);
            await using (updates.ConfigureAwait(false))
            {
                do
                {
                    if (updates.Current.Completed is { } outcome)
                    {
                        yield return ChatStreamUpdate.Done(outcome with { Cost = Settle(prepared, outcome.Result) });
                        yield break;
                    }

                    shown = true;
                    yield return updates.Current;
                }
                while (await updates.MoveNextAsync().ConfigureAwait(false));
            }
        }
        finally
        {
            if (shown)
            {
                prepared.Charge?.Settle(usage: null); // why: a stream cut after text was billed; a no-op once settled whole
            }

            prepared.Charge?.Release();
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
}

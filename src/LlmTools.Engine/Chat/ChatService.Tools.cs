using System.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Chat;

/// <summary>
/// The tool-call loop: while the model asks for tool calls, run them (through the cmdlet's runner), send their
/// results back and ask again. Each turn is a request of its own, paced and held in the budgets like any other; the
/// whole exchange is cached under the first request's key, so a cached answer never runs a tool again.
/// </summary>
public sealed partial class ChatService
{
    private async Task<ChatOutcome> LoopAsync(PreparedChat first, ToolLoopOptions tools, long started, CancellationToken cancellationToken)
    {
        var exchange = new ToolExchange(first.Request, tools);
        var turn = first;
        while (true)
        {
            var (result, cost) = await SendAsync(turn, cancellationToken).ConfigureAwait(false);
            if (await NextTurnAsync(exchange, result, cost, cancellationToken).ConfigureAwait(false) is not { } next)
            {
                return Finished(first, exchange, result, started);
            }

            turn = next;
        }
    }

    /// <summary>
    /// Counts a turn's answer; when it asks for tool calls, runs them and readies the next turn (its hold taken), else
    /// null: the loop is over (answered, or cut at the limit).
    /// </summary>
    private async Task<PreparedChat?> NextTurnAsync(ToolExchange exchange, ChatResult result, decimal? cost, CancellationToken cancellationToken)
    {
        exchange.Count(result.Usage, cost);
        if (result.ToolCalls is not { Count: > 0 } || !await exchange.RunAsync(result, _log, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await PrepareSendAsync(exchange.NextRequest(), key: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The loop's outcome: the last answer with the exchange and summed usage; cached only when the model answered and every call succeeded.</summary>
    private ChatOutcome Finished(PreparedChat first, ToolExchange exchange, ChatResult last, long started)
    {
        var result = exchange.Result(last);
        if (!exchange.WasCut && exchange.AllSucceeded)
        {
            Store(first.CacheKey, first.Request, result);
        }

        return new ChatOutcome(result, Cached: false, Stopwatch.GetElapsedTime(started)) { Cost = exchange.Cost };
    }
}

using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Chat;

/// <summary>
/// The state of one prompt's tool-call loop: the turns added to the conversation, how each call ended, the calls run
/// against the limit, and the usage and cost of every request together.
/// </summary>
internal sealed class ToolExchange(ChatRequest first, ToolLoopOptions options)
{
    private readonly List<ChatMessage> _turns = [];
    private readonly Dictionary<string, ToolCallStatus> _statuses = new(StringComparer.Ordinal);
    private TokenUsage? _usage;
    private bool _costKnown = true;
    private decimal _cost;
    private int _calls;

    /// <summary>True when the loop stopped at the limit with calls left unrun: not an answer to cache.</summary>
    public bool WasCut { get; private set; }

    /// <summary>
    /// True when every call ran and succeeded. Why only then is the answer cached: a call denied (no one to confirm,
    /// -AllowStateChange not given) or failed for a passing reason (a timeout) must run again next time, not be replayed.
    /// </summary>
    public bool AllSucceeded => _statuses.Values.All(status => status == ToolCallStatus.Succeeded);

    /// <summary>The dollars of every request of the loop; null when one of them has no known price.</summary>
    public decimal? Cost => _costKnown ? _cost : null;

    public void Count(TokenUsage? usage, decimal? cost)
    {
        _usage = Add(_usage, usage);
        _costKnown &= cost is not null;
        _cost += cost ?? 0;
    }

    /// <summary>
    /// Records the answer's calls and runs them in order; false when they would pass the limit: none of them runs, and
    /// each is answered "not run" so the conversation can still be continued.
    /// </summary>
    public async Task<bool> RunAsync(ChatResult answer, ILlmLog log, CancellationToken cancellationToken)
    {
        var calls = answer.ToolCalls!;
        _turns.Add(new ChatMessage("assistant", answer.Content) { ToolCalls = calls });
        if (_calls + calls.Count > options.MaxToolCalls)
        {
            WasCut = true;
            log.Warning($"The model asked for {calls.Count} more tool call(s) after {_calls}; the limit is {options.MaxToolCalls} (-MaxToolCalls), so the loop stopped without an answer.");
            foreach (var call in calls)
            {
                Answer(call, new ToolCallResult(ToolCallStatus.NotRun, $"Not run: the limit of {options.MaxToolCalls} tool calls for this prompt was reached."));
            }

            return false;
        }

        foreach (var call in calls)
        {
            _calls++;
            Answer(call, await options.Runner.RunAsync(call, cancellationToken).ConfigureAwait(false));
        }

        return true;
    }

    /// <summary>The first request with the turns so far: what the next turn sends.</summary>
    public ChatRequest NextRequest() => first with { Messages = [.. first.Messages, .. _turns] };

    /// <summary>The loop's last answer, with the turns before it and the usage of all its requests.</summary>
    public ChatResult Result(ChatResult last) => last with
    {
        Usage = _usage,
        ToolCalls = null, // why: every call asked for is in ToolTurns, answered (run, failed, denied or not run)
        FinishReason = WasCut ? "tool_calls" : last.FinishReason,
        ToolTurns = _turns.Count == 0 ? null : _turns.ToList(),
        ToolStatuses = _statuses.Count == 0 ? null : new Dictionary<string, ToolCallStatus>(_statuses, StringComparer.Ordinal),
    };

    private void Answer(ToolCall call, ToolCallResult result)
    {
        _statuses[call.Id] = result.Status;
        _turns.Add(new ChatMessage("tool", result.Result) { ToolCallId = call.Id });
    }

    private static TokenUsage? Add(TokenUsage? sum, TokenUsage? usage) => (sum, usage) switch
    {
        (null, _) => usage,
        (_, null) => sum,
        _ => new TokenUsage(
            sum.PromptTokens + usage.PromptTokens,
            sum.CompletionTokens + usage.CompletionTokens,
            sum.TotalTokens + usage.TotalTokens,
            Sum(sum.CachedTokens, usage.CachedTokens),
            Sum(sum.ReasoningTokens, usage.ReasoningTokens)),
    };

    private static int? Sum(int? a, int? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}

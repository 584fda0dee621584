namespace LlmTools.Engine.Models;

/// <summary>Tokens a call cost, as the server reported them.</summary>
/// <param name="PromptTokens">Tokens of the request's messages.</param>
/// <param name="CompletionTokens">Tokens of the answer, reasoning tokens included.</param>
/// <param name="TotalTokens">Both together.</param>
/// <param name="CachedTokens">Prompt tokens served from the provider's prompt cache (priced lower), when it said.</param>
/// <param name="ReasoningTokens">Completion tokens a reasoning model spent thinking, when it said.</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, int TotalTokens, int? CachedTokens = null, int? ReasoningTokens = null);

/// <summary>The answer to a <see cref="ChatRequest"/>; this is what the cache stores.</summary>
public sealed record ChatResult
{
    /// <summary>The reply text.</summary>
    public required string Content { get; init; }

    /// <summary>The model that answered, as the server named it.</summary>
    public required string Model { get; init; }

    /// <summary>stop, length, content_filter, tool_calls ...</summary>
    public string? FinishReason { get; init; }

    /// <summary>Tokens the call cost, when the server said.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>The server's completion id (chatcmpl-...).</summary>
    public string? Id { get; init; }

    /// <summary>Why the model refused, when it did.</summary>
    public string? Refusal { get; init; }

    /// <summary>Tool calls the answer asks for and that were not run (finish reason tool_calls); null for none.</summary>
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    /// <summary>
    /// The turns of the tool-call loop before this answer, oldest first: each assistant message that asked for calls,
    /// then one tool message per call with its result. Null without tools. Cached with the answer, so a cached
    /// answer never runs a tool again.
    /// </summary>
    public IReadOnlyList<ChatMessage>? ToolTurns { get; init; }

    /// <summary>How each call of <see cref="ToolTurns"/> ended, by call id.</summary>
    public IReadOnlyDictionary<string, ToolCallStatus>? ToolStatuses { get; init; }
}

/// <summary>A finished chat call: the result, whether it came from the cache, and how long it took (one clock, the service's).</summary>
/// <param name="Result">The answer.</param>
/// <param name="Cached">True when it came from the cache without a request.</param>
/// <param name="Duration">From the call to the complete answer.</param>
public sealed record ChatOutcome(ChatResult Result, bool Cached, TimeSpan Duration)
{
    /// <summary>US dollars this answer cost: 0 from the cache, null when the model's price is unknown.</summary>
    public decimal? Cost { get; init; }
}

/// <summary>One event of a streamed completion: a piece of text, or (last) the whole outcome.</summary>
/// <param name="TextDelta">Text that just arrived.</param>
/// <param name="Completed">The whole answer, in the last update.</param>
public sealed record ChatStreamUpdate(string? TextDelta, ChatOutcome? Completed)
{
    /// <summary>A piece of text.</summary>
    public static ChatStreamUpdate Delta(string text) => new(text, null);

    /// <summary>The last update.</summary>
    public static ChatStreamUpdate Done(ChatOutcome outcome) => new(null, outcome);
}

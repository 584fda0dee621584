using System.Management.Automation;

namespace LlmTools.Output;

/// <summary>
/// What Send-LlmMessage writes: one per input item. Prints as its content. Why Messages and InputObject are hidden
/// (still there, $r.InputObject works; Get-Member -Force lists them): Export-Csv and Format-List * show every visible
/// property, and these two print as type names or @{...} cells. Send-LlmMessage -MergeInput puts the input's own
/// columns beside the answer instead.
/// </summary>
public sealed class LlmResponse
{
    /// <summary>The reply text.</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>The reply parsed from JSON, for -JsonSchema and -Json.</summary>
    public object? Data { get; init; }

    /// <summary>The model that answered (for Azure, as the service names it).</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>OpenAI or Azure.</summary>
    public string Provider { get; init; } = string.Empty;

    /// <summary>stop, length, content_filter ...</summary>
    public string? FinishReason { get; init; }

    /// <summary>Tokens of the request, as the server counted them; null when it did not say.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Tokens of the reply.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Both together.</summary>
    public int? TotalTokens { get; init; }

    /// <summary>Prompt tokens the provider served from its prompt cache (priced lower), when it said.</summary>
    public int? CachedTokens { get; init; }

    /// <summary>Completion tokens a reasoning model spent thinking, when it said.</summary>
    public int? ReasoningTokens { get; init; }

    /// <summary>US dollars this answer cost: 0 from the cache; empty (null) when the model's price is unknown.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Time from sending to the complete answer (near zero for cache hits).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the answer came from the cache without a request.</summary>
    public bool Cached { get; init; }

    /// <summary>
    /// Every tool call the model made for this answer, in order, with its arguments, result and status; empty without
    /// tools. Hidden like Messages (a list prints as its type name in a CSV cell): $r.ToolCalls | Format-Table shows them.
    /// </summary>
    [Hidden]
    public IReadOnlyList<LlmToolCall> ToolCalls { get; init; } = [];

    /// <summary>The whole conversation, the reply last; pipe this object back to Send-LlmMessage to continue it.</summary>
    [Hidden]
    public IReadOnlyList<LlmMessage> Messages { get; init; } = [];

    /// <summary>The pipeline object (or prompt) this answers, for correlation.</summary>
    [Hidden]
    public object? InputObject { get; init; }

    /// <summary>True when -Stream showed the reply already; the console view then prints nothing more.</summary>
    [Hidden]
    public bool Streamed { get; init; }

    /// <summary>The server's completion id (chatcmpl-...), or response id (resp-...) on the Responses API.</summary>
    public string? Id { get; init; }

    /// <summary>ChatCompletions or Responses: the API that answered; -UseServerState continues only a Responses answer.</summary>
    /// <remarks>Why hidden: exports (Export-Csv) keep the columns they had; $r.Api works.</remarks>
    [Hidden]
    public string Api { get; init; } = nameof(Engine.Models.ChatApi.ChatCompletions);

    /// <summary>True when the Responses API was asked to keep this response (-Store), so -UseServerState may continue from it.</summary>
    [Hidden]
    public bool Stored { get; init; }

    /// <summary>The reply text, so a response prints as its content.</summary>
    public override string ToString() => Content;
}

namespace LlmTools.Engine.Models;

/// <summary>The answer to a <see cref="ChatRequest"/>; this is what the cache stores.</summary>
public sealed record ChatResult
{
    public required string Content { get; init; }

    /// <summary>The model that answered, as the server named it.</summary>
    public required string Model { get; init; }

    /// <summary>stop, length, content_filter, tool_calls ...</summary>
    public string? FinishReason { get; init; }

    public TokenUsage? Usage { get; init; }

    /// <summary>The server's completion id (chatcmpl-...).</summary>
    public string? Id { get; init; }

    /// <summary>Why the model refused, when it did.</summary>
    public string? Refusal { get; init; }
}

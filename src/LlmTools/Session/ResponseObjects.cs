using LlmTools.Engine.Models;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// The one place a chat answer becomes an <see cref="LlmResponse"/>, for Send-LlmMessage and Receive-LlmBatch alike:
/// usage, the tool calls of its loop, and the conversation (asked messages, tool turns, the answer) to continue.
/// </summary>
internal static class ResponseObjects
{
    /// <summary>The response to <paramref name="asked"/> that <paramref name="result"/> answers.</summary>
    public static LlmResponse From(ChatResult result, IEnumerable<ChatMessage> asked, Reply reply) => new()
    {
        Content = result.Content,
        Data = reply.Data,
        Model = result.Model,
        Provider = reply.Provider,
        FinishReason = result.FinishReason,
        PromptTokens = result.Usage?.PromptTokens,
        CompletionTokens = result.Usage?.CompletionTokens,
        TotalTokens = result.Usage?.TotalTokens,
        CachedTokens = result.Usage?.CachedTokens,
        ReasoningTokens = result.Usage?.ReasoningTokens,
        Cost = reply.Cost,
        Duration = reply.Duration,
        Cached = reply.Cached,
        ToolCalls = ToolCallsOf(result),
        Messages = asked.Concat(result.ToolTurns ?? []).Append(ChatMessage.Assistant(result.Content)).Select(ToOutput).ToList(),
        InputObject = reply.Input,
        Id = result.Id,
        Api = reply.Wire.Api.ToString(),
        Stored = reply.Wire.Store,
        Streamed = reply.Streamed,
    };

    /// <summary>The tool calls of an answer's loop, each with the result the model was given.</summary>
    private static List<LlmToolCall> ToolCallsOf(ChatResult result)
    {
        var answers = (result.ToolTurns ?? []).Where(m => m.Role == "tool").ToDictionary(m => m.ToolCallId ?? string.Empty, m => m.Content, StringComparer.Ordinal);
        return (result.ToolTurns ?? []).SelectMany(m => m.ToolCalls ?? []).Select(call => new LlmToolCall
        {
            Id = call.Id,
            Name = call.Name,
            Arguments = call.Arguments,
            Result = answers.GetValueOrDefault(call.Id),
            Status = (result.ToolStatuses?.GetValueOrDefault(call.Id) ?? ToolCallStatus.NotRun).ToString(),
        }).ToList();
    }

    /// <summary>A conversation message as LlmResponse.Messages holds it.</summary>
    private static LlmMessage ToOutput(ChatMessage message) => new(message.Role, message.Content, message.Name)
    {
        ToolCalls = message.ToolCalls?.Select(c => new LlmToolCall { Id = c.Id, Name = c.Name, Arguments = c.Arguments }).ToList() ?? [],
        ToolCallId = message.ToolCallId,
        Source = message,
    };
}

/// <summary>How an answer was had, for its <see cref="LlmResponse"/>.</summary>
/// <param name="Provider">OpenAI or Azure.</param>
/// <param name="Input">The pipeline object it answers.</param>
/// <param name="Cost">Its dollars (0 from the cache, null when unknown).</param>
/// <param name="Cached">True when it came from the cache.</param>
/// <param name="Data">The parsed JSON of a structured answer.</param>
/// <param name="Wire">The API it travelled by.</param>
internal sealed record Reply(string Provider, object? Input, decimal? Cost, bool Cached, object? Data, ChatWire Wire)
{
    /// <summary>From the call to the complete answer.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when -Stream showed it already.</summary>
    public bool Streamed { get; init; }
}

using LlmTools.Engine.Models;

namespace LlmTools.Output;

/// <summary>One message of a conversation, as LlmResponse.Messages holds it.</summary>
public sealed class LlmMessage
{
    /// <summary>A message with <paramref name="role"/>, <paramref name="content"/> and an optional <paramref name="name"/>.</summary>
    public LlmMessage(string role, string content, string? name = null)
    {
        Role = role;
        Content = content;
        Name = name;
    }

    /// <summary>system, developer, user, assistant or tool.</summary>
    public string Role { get; }

    /// <summary>The text.</summary>
    public string Content { get; }

    /// <summary>An optional participant name.</summary>
    public string? Name { get; }

    /// <summary>The tool calls an assistant message asked for; empty for none.</summary>
    public IReadOnlyList<LlmToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The engine's message, so continuing a conversation sends it as it was (attachments and tool calls included).</summary>
    internal ChatMessage? Source { get; init; }

    /// <summary>"role: content".</summary>
    public override string ToString() => $"{Role}: {Content}";
}

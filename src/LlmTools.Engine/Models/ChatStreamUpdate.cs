namespace LlmTools.Engine.Models;

/// <summary>One event of a streamed completion: a piece of text, or (last) the complete result.</summary>
public sealed record ChatStreamUpdate(string? TextDelta, ChatResult? Completed)
{
    public static ChatStreamUpdate Delta(string text) => new(text, null);

    public static ChatStreamUpdate Done(ChatResult result) => new(null, result);
}

namespace LlmTools.Engine.Models;

/// <summary>One event of a streamed completion: a piece of text, or (last) the complete result.</summary>
/// <param name="TextDelta">Text that just arrived.</param>
/// <param name="Completed">The whole answer, in the last update.</param>
/// <param name="Cached">True when the answer came from the cache (one delta, then the result).</param>
public sealed record ChatStreamUpdate(string? TextDelta, ChatResult? Completed, bool Cached = false)
{
    public static ChatStreamUpdate Delta(string text) => new(text, null);

    public static ChatStreamUpdate Done(ChatResult result, bool cached = false) => new(null, result, cached);
}

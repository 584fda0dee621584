namespace LlmTools.Engine.Models;

/// <summary>One message of a chat: role (system, developer, user, assistant), text and optional name.</summary>
public sealed record ChatMessage(string Role, string Content, string? Name = null)
{
    public static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    public static ChatMessage System(string content) => new("system", content);

    public static ChatMessage User(string content) => new("user", content);

    public static ChatMessage Assistant(string content) => new("assistant", content);
}

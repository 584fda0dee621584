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

    /// <summary>system, developer, user or assistant.</summary>
    public string Role { get; }

    /// <summary>The text.</summary>
    public string Content { get; }

    /// <summary>An optional participant name.</summary>
    public string? Name { get; }

    /// <summary>"role: content".</summary>
    public override string ToString() => $"{Role}: {Content}";
}

namespace LlmTools.Output;

/// <summary>One message of a conversation, as LlmResponse.Messages holds it.</summary>
public sealed class LlmMessage
{
    public LlmMessage(string role, string content, string? name = null)
    {
        Role = role;
        Content = content;
        Name = name;
    }

    /// <summary>system, developer, user or assistant.</summary>
    public string Role { get; }

    public string Content { get; }

    public string? Name { get; }

    public override string ToString() => $"{Role}: {Content}";
}

namespace LlmTools.Output;

/// <summary>One tool call of a Send-LlmMessage answer: what the model asked for, and what it was told.</summary>
public sealed class LlmToolCall
{
    /// <summary>The server's call id (call_...).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The tool (command) the model called.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The arguments as the model wrote them (JSON).</summary>
    public string Arguments { get; init; } = "{}";

    /// <summary>What was sent back to the model: the command's output, or why it did not run.</summary>
    public string? Result { get; init; }

    /// <summary>Succeeded, Failed, Denied (declined, or no one could confirm) or NotRun (-MaxToolCalls reached).</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>"Name(Arguments)".</summary>
    public override string ToString() => $"{Name}({Arguments})";
}

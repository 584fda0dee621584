namespace LlmTools.Output;

/// <summary>What Measure-LlmTokens writes: one per text, file or chat.</summary>
public sealed class LlmTokenCount
{
    /// <summary>Number of tokens (for a chat: prompt tokens, framing included).</summary>
    public int Tokens { get; init; }

    /// <summary>Number of UTF-16 characters counted.</summary>
    public long Characters { get; init; }

    /// <summary>The model whose encoding was used, when one was given or configured.</summary>
    public string? Model { get; init; }

    /// <summary>The tiktoken encoding used (o200k_base, cl100k_base, r50k_base).</summary>
    public string Encoding { get; init; } = string.Empty;

    /// <summary>The text counted, for text input.</summary>
    public string? Text { get; init; }

    /// <summary>The file counted, for -Path / -LiteralPath input.</summary>
    public string? Path { get; init; }

    /// <summary>Number of messages, for -Messages input.</summary>
    public int? MessageCount { get; init; }

    /// <summary>The text, path or "N messages": what this count is of.</summary>
    public string Source => Path ?? (MessageCount is { } n ? $"{n} messages" : Preview(Text));

    /// <summary>"3266 tokens (o200k_base, gpt-4o): README.md", for hosts and strings that show objects as text.</summary>
    public override string ToString() => $"{Tokens} tokens ({Encoding}{(Model is null ? string.Empty : ", " + Model)}): {Source}";

    private static string Preview(string? text) =>
        text is null ? string.Empty : text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

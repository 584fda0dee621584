using System.Collections.Concurrent;
using LlmTools.Engine.Models;
using Microsoft.ML.Tokenizers;

namespace LlmTools.Engine.Tokenization;

/// <summary>Counts tokens offline: plain text, or a whole chat the way OpenAI's cookbook does.</summary>
public sealed class TokenCounter
{
    // why: OpenAI cookbook "How to count tokens with tiktoken": every message costs 3 tokens of framing
    // (<|start|>{role}<|message|>...<|end|>), a name 1 more, and every reply is primed with 3 tokens.
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;

    private readonly Tokenizer _tokenizer;

    /// <summary>A counter for a tiktoken <paramref name="encoding"/> (o200k_base, cl100k_base, r50k_base).</summary>
    public TokenCounter(string encoding)
    {
        Encoding = encoding.ToLowerInvariant();
        _tokenizer = TokenizerCache.Get(Encoding);
    }

    /// <summary>The encoding, lowercase.</summary>
    public string Encoding { get; }

    /// <summary>A counter for <paramref name="model"/>; <c>IsFallback</c> says the encoding was a guess.</summary>
    public static (TokenCounter Counter, bool IsFallback) ForModel(string model)
    {
        var (encoding, isFallback) = ModelEncodings.ForModel(model);
        return (new TokenCounter(encoding), isFallback);
    }

    /// <summary>Tokens of <paramref name="text"/>, exactly as tiktoken counts them.</summary>
    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    /// <summary>Tokens a chat request's messages cost as prompt tokens.</summary>
    public int CountChat(IEnumerable<ChatMessage> messages)
    {
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += TokensPerMessage + Count(message.Role) + Count(message.Content);
            if (!string.IsNullOrEmpty(message.Name))
            {
                total += TokensPerName + Count(message.Name);
            }
        }

        return total;
    }
}

/// <summary>
/// One tokenizer per encoding for the whole process. Why: building one parses a multi-megabyte vocabulary
/// (hundreds of milliseconds); tokenizers are immutable and thread-safe, so every runspace can share them.
/// </summary>
public static class TokenizerCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Tokenizers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tokenizer of <paramref name="encoding"/>, built on first use; an unknown encoding throws ArgumentException.</summary>
    public static Tokenizer Get(string encoding)
    {
        if (!ModelEncodings.IsKnown(encoding))
        {
            throw new ArgumentException(
                $"Unknown encoding '{encoding}'. Use one of: {string.Join(", ", ModelEncodings.Known)}.", nameof(encoding));
        }

        return Tokenizers.GetOrAdd(
            encoding.ToLowerInvariant(),
            name => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(name))).Value;
    }
}

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

    // why: byte-pair merging is quadratic in the length of one pre-tokenized piece, so a run of 160,000 letters
    // without a space takes 22 s and 1.1 million ('x' * 1.1e6, a pasted blob) would take many minutes
    private const int LongestExactRun = 2048;

    /// <summary>Tokens of <paramref name="text"/>, exactly as tiktoken counts them.</summary>
    public int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);

    /// <summary>
    /// Tokens of <paramref name="text"/> for a reservation (pacing, budgets): exactly <see cref="Count"/> for any text
    /// whose runs without white space are at most 2,048 characters long, which is all ordinary text; a longer run is
    /// counted in 2,048-character pieces, in linear time. Cutting a run only keeps tokens from merging across the cut,
    /// so such an estimate is a little high, never a hang.
    /// </summary>
    public int Estimate(string text)
    {
        var runStart = 0;
        var sawLongRun = false;
        for (var i = 0; i <= text.Length && !sawLongRun; i++)
        {
            if (i == text.Length || char.IsWhiteSpace(text[i]))
            {
                sawLongRun = i - runStart > LongestExactRun;
                runStart = i + 1;
            }
        }

        if (!sawLongRun)
        {
            return Count(text);
        }

        var total = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + LongestExactRun);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end--; // why: never cut a surrogate pair in two
            }

            total += Count(text[start..end]);
            start = end;
        }

        return total;
    }

    /// <summary>Tokens a chat request's messages cost as prompt tokens.</summary>
    public int CountChat(IEnumerable<ChatMessage> messages) => CountChat(messages, Count);

    /// <summary>Like <see cref="CountChat(IEnumerable{ChatMessage})"/>, each text by <see cref="Estimate"/>: for reservations.</summary>
    public int EstimateChat(IEnumerable<ChatMessage> messages) => CountChat(messages, Estimate);

    private static int CountChat(IEnumerable<ChatMessage> messages, Func<string, int> count)
    {
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += TokensPerMessage + count(message.Role) + count(message.Content);
            if (!string.IsNullOrEmpty(message.Name))
            {
                total += TokensPerName + count(message.Name);
            }

            // why the call's name and arguments: they are sent back with every later turn of a tool-call loop
            foreach (var call in message.ToolCalls ?? [])
            {
                total += TokensPerMessage + count(call.Name) + count(call.Arguments);
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

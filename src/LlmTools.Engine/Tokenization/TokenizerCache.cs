using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace LlmTools.Engine.Tokenization;

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

using System.Text.RegularExpressions;

namespace LlmTools.TestServer;

/// <summary>Whitespace words: the fake token count, and the streaming chunk boundaries.</summary>
internal static partial class Words
{
    public static int Count(string text) => WordPattern().Count(text);

    /// <summary>Each word with its trailing whitespace; the chunks concatenate back to <paramref name="text"/>.</summary>
    public static IEnumerable<string> Chunks(string text) => ChunkPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\S+\s*|\s+")]
    private static partial Regex ChunkPattern();
}

namespace LlmTools.Engine.Tokenization;

/// <summary>Maps a model name to its tiktoken encoding, the way tiktoken's model.py does.</summary>
public static class ModelEncodings
{
    /// <summary>gpt-4o, gpt-4.1, gpt-5, o-series.</summary>
    public const string O200kBase = "o200k_base";
    /// <summary>gpt-4, gpt-3.5-turbo, text-embedding models.</summary>
    public const string Cl100kBase = "cl100k_base";
    /// <summary>GPT-3 (davinci, curie, babbage, ada).</summary>
    public const string R50kBase = "r50k_base";

    /// <summary>Encodings this module ships data for.</summary>
    public static readonly string[] Known = [O200kBase, Cl100kBase, R50kBase];

    /// <summary>The encoding used when a model name is not recognised.</summary>
    public const string Fallback = O200kBase;

    // why: longest prefix first, so "gpt-4o" wins over "gpt-4" and "gpt-35-turbo" (Azure's spelling) is found
    private static readonly (string Prefix, string Encoding)[] Prefixes =
    [
        ("chatgpt-4o", O200kBase),
        ("gpt-4o", O200kBase),
        ("gpt-4.1", O200kBase),
        ("gpt-4.5", O200kBase),
        ("gpt-5", O200kBase),
        ("gpt-oss", O200kBase),
        ("o1", O200kBase),
        ("o3", O200kBase),
        ("o4", O200kBase),
        ("gpt-4", Cl100kBase),
        ("gpt-3.5", Cl100kBase),
        ("gpt-35", Cl100kBase),
        ("text-embedding-3", Cl100kBase),
        ("text-embedding-ada-002", Cl100kBase),
        ("davinci-002", Cl100kBase),
        ("babbage-002", Cl100kBase),
        ("davinci", R50kBase),
        ("curie", R50kBase),
        ("babbage", R50kBase),
        ("ada", R50kBase),
    ];

    /// <summary>Finds the encoding for <paramref name="model"/>; <c>IsFallback</c> is true when it was a guess.</summary>
    public static (string Encoding, bool IsFallback) ForModel(string model)
    {
        var name = model.Trim();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..]; // why: "openai/gpt-4o" (LiteLLM, OpenRouter) names the same model
        }

        foreach (var (prefix, encoding) in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return (encoding, false);
            }
        }

        return (Fallback, true);
    }

    /// <summary>True when <paramref name="encoding"/> is one this module ships.</summary>
    public static bool IsKnown(string encoding) => Known.Contains(encoding, StringComparer.OrdinalIgnoreCase);
}

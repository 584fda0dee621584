using System.Management.Automation;

namespace LlmTools.Output;

/// <summary>
/// What Get-LlmEmbedding writes: one vector per input text. InputObject is hidden from Export-Csv and Format-List *
/// (it prints as @{...}) yet there: $e.InputObject.
/// </summary>
public sealed class LlmEmbedding
{
    /// <summary>The text embedded.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>The embedding.</summary>
    public float[] Vector { get; init; } = [];

    /// <summary>The model (or Azure deployment) that made it.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Length of <see cref="Vector"/>.</summary>
    public int Dimensions => Vector.Length;

    /// <summary>True when the vector came from the cache without a request.</summary>
    public bool Cached { get; init; }

    /// <summary>
    /// This text's share of its request's billed tokens: the request's usage split in proportion to each text's own
    /// token count, adding up to what the server billed; 0 from the cache.
    /// </summary>
    public int? PromptTokens { get; init; }

    /// <summary>US dollars of that share: 0 from the cache; empty (null) when the model's price is unknown.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Position of the text in the input (0-based), across the whole pipeline.</summary>
    public int Index { get; init; }

    /// <summary>The pipeline object the text came from, for correlation.</summary>
    [Hidden]
    public object? InputObject { get; init; }

    /// <summary>Cosine similarity with another embedding: 1 same direction, 0 unrelated, -1 opposite.</summary>
    public double CosineSimilarity(LlmEmbedding other) => CosineSimilarity(other.Vector);

    /// <summary>Cosine similarity with a raw vector of the same length.</summary>
    public double CosineSimilarity(float[] other)
    {
        if (other.Length != Vector.Length)
        {
            throw new ArgumentException($"Vectors differ in length ({Vector.Length} and {other.Length}); compare embeddings of the same model and dimensions.", nameof(other));
        }

        double dot = 0, left = 0, right = 0;
        for (var i = 0; i < Vector.Length; i++)
        {
            dot += Vector[i] * (double)other[i];
            left += Vector[i] * (double)Vector[i];
            right += other[i] * (double)other[i];
        }

        return left == 0 || right == 0 ? 0 : dot / Math.Sqrt(left * right);
    }

    /// <summary>The first values and the length, for tables.</summary>
    public override string ToString() =>
        $"[{string.Join(", ", Vector.Take(3).Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)))}{(Vector.Length > 3 ? ", ..." : string.Empty)}] ({Dimensions})";
}

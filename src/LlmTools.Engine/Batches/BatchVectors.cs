using System.Buffers.Binary;
using System.Text.Json;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Batches;

/// <summary>Reads the vector of an embeddings line's body ({"data":[{"embedding":[...] or base64}],"usage":{"prompt_tokens"}}).</summary>
internal static class BatchVectors
{
    public static (float[] Vector, int? Tokens) Read(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() != 1
            || !data[0].TryGetProperty("embedding", out var embedding))
        {
            throw new LlmException(LlmErrorId.InvalidResponse, "The batch line holds no single embedding.");
        }

        var vector = embedding.ValueKind switch
        {
            JsonValueKind.Array => embedding.EnumerateArray().Select(v => v.GetSingle()).ToArray(),
            JsonValueKind.String => FromBase64(embedding.GetString()!),
            _ => throw new LlmException(LlmErrorId.InvalidResponse, "The batch line's embedding is neither numbers nor base64."),
        };
        int? tokens = root.TryGetProperty("usage", out var usage) && usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt32(out var t) ? t : null;
        return (vector, tokens);
    }

    private static float[] FromBase64(string text)
    {
        var bytes = Convert.FromBase64String(text);
        var vector = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return vector;
    }
}

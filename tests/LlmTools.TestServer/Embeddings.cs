using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>Writes an embeddings list; vectors are a pure function of (text, dimensions).</summary>
internal static class Embeddings
{
    public const int DefaultDimensions = 8;

    public static async Task WriteAsync(HttpContext context, JsonObject body, string model, LoopbackLlmServer server)
    {
        var answerLimit = server.EmbeddingAnswerLimit;
        var inputs = Inputs(body["input"]);
        if (server.EmbeddingPoisonText is { } poison && inputs.Contains(poison))
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status500InternalServerError,
                "input is too large to process. increase the physical batch size", "server_error", code: null);
            return;
        }

        if (inputs.Count == 0)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, "'input' is a required property", "invalid_request_error", code: null);
            return;
        }

        var dimensions = server.EmbeddingAnsweredDimensions ?? JsonRead.Int(body["dimensions"]) ?? DefaultDimensions;
        if (dimensions < 1)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, $"Invalid value for 'dimensions': {dimensions}.", "invalid_request_error", code: null);
            return;
        }

        var base64 = JsonRead.Str(body["encoding_format"]) == "base64";
        var data = new JsonArray();
        for (var i = 0; i < Math.Min(inputs.Count, answerLimit ?? int.MaxValue); i++)
        {
            var vector = Vector(inputs[i], dimensions);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? JsonValue.Create(ToBase64(vector)) : new JsonArray(vector.Select(f => (JsonNode?)f).ToArray()),
            });
        }

        var tokens = inputs.Sum(Words.Count);
        await JsonOut.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    }

    /// <summary>A unit-length vector seeded by an FNV-1a hash of the UTF-8 text.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        var state = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            state = (state ^ b) * 1099511628211UL;
        }

        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            // splitmix64 step, top 24 bits mapped to [-1, 1)
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            vector[i] = (z >> 40) / (float)(1 << 23) - 1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    internal static string ToBase64(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>"input" is a string, a string array, a token array (one input) or an array of token arrays.</summary>
    private static List<string> Inputs(JsonNode? input) => input switch
    {
        JsonArray items when items.Count > 0 && items.All(i => i?.GetValueKind() == JsonValueKind.Number) => [items.ToJsonString()],
        JsonArray items => items.Select(i => JsonRead.Str(i) ?? i?.ToJsonString() ?? "").ToList(),
        _ => JsonRead.Str(input) is { } text ? [text] : [],
    };
}

using System.Text.Json.Nodes;

namespace LlmTools.TestServer;

/// <summary>Lenient readers for request JSON: a wrong type reads as absent.</summary>
internal static class JsonRead
{
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue(out int i) ? i : null;

    public static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue(out bool b) && b;
}

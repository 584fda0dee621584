using System.Text.Json.Nodes;

namespace LlmTools.TestServer;

/// <summary>The default assistant reply: an echo of the last user message, shaped by response_format.</summary>
internal static class ChatReplies
{
    public static string Default(JsonObject body)
    {
        var echo = "Echo: " + LastUserText(body);
        var format = body["response_format"];
        return JsonRead.Str(format?["type"]) switch
        {
            "json_object" => JsonOut.Serialize(new JsonObject { ["answer"] = echo }),
            "json_schema" => JsonOut.Serialize(SampleObject(format?["json_schema"]?["schema"])),
            _ => echo,
        };
    }

    /// <summary>All message texts, for the prompt token count.</summary>
    public static IEnumerable<string> AllTexts(JsonObject body) =>
        body["messages"] is JsonArray messages ? messages.Select(m => ContentText(m?["content"])) : [];

    private static string LastUserText(JsonObject body) =>
        body["messages"] is JsonArray messages
            ? messages.LastOrDefault(m => JsonRead.Str(m?["role"]) == "user") is { } last ? ContentText(last["content"]) : ""
            : "";

    /// <summary>Content is either a string or an array of parts; only text parts count.</summary>
    private static string ContentText(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.Select(p => JsonRead.Str(p?["type"]) == "text" ? JsonRead.Str(p?["text"]) : null)),
        _ => JsonRead.Str(content) ?? "",
    };

    /// <summary>One value per top-level property: string "text", number 42, boolean true, array [], object recursed.</summary>
    internal static JsonObject SampleObject(JsonNode? schema)
    {
        var result = new JsonObject();
        if (schema?["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                result[name] = SampleValue(property);
            }
        }

        return result;
    }

    private static JsonNode? SampleValue(JsonNode? property)
    {
        if (property?["enum"] is JsonArray { Count: > 0 } choices)
        {
            return choices[0]?.DeepClone();
        }

        return TypeName(property?["type"]) switch
        {
            "number" or "integer" => JsonValue.Create(42),
            "boolean" => JsonValue.Create(true),
            "array" => new JsonArray(),
            "object" => SampleObject(property),
            "null" => null,
            _ => JsonValue.Create("text"),
        };
    }

    /// <summary>"type" may be a name or a list such as ["string", "null"].</summary>
    private static string? TypeName(JsonNode? type) => type switch
    {
        JsonArray names => names.Select(JsonRead.Str).FirstOrDefault(n => n is not null and not "null") ?? "null",
        _ => JsonRead.Str(type),
    };
}

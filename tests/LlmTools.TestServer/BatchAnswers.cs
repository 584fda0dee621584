using System.Text.Json.Nodes;

namespace LlmTools.TestServer;

/// <summary>The output line of one batch input line, {"id","custom_id","response":{"status_code","request_id","body"},"error"}.</summary>
internal static class BatchAnswers
{
    /// <summary>A line whose text holds this is answered 200 with a body no reader can map (a choice without a message).</summary>
    public const string GarbageText = "GARBAGE-THIS-LINE";

    public static (JsonObject Line, bool Failed) For(JsonObject request, string failText, int padding = 0)
    {
        var body = request["body"]?.AsObject() ?? [];
        var url = JsonRead.Str(request["url"]) ?? string.Empty;
        var isChat = url.EndsWith("/chat/completions", StringComparison.Ordinal);
        var texts = isChat ? ChatReplies.AllTexts(body).ToList() : [JsonRead.Str(body["input"]) ?? string.Empty];
        var failed = texts.Any(t => t.Contains(failText, StringComparison.Ordinal));
        var model = JsonRead.Str(body["model"]) ?? "loopback-model";
        JsonObject answer = failed
            ? new JsonObject { ["error"] = new JsonObject { ["message"] = "This line was refused on purpose.", ["type"] = "invalid_request_error", ["param"] = null, ["code"] = "invalid_value" } }
            : texts.Any(t => t.Contains(GarbageText, StringComparison.Ordinal)) ? new JsonObject { ["choices"] = new JsonArray(new JsonObject()) } // a choice without a message
            : isChat ? Chat(body, model, padding) : Embedding(body, model, texts[0]);
        var line = new JsonObject
        {
            ["id"] = "batch_req_" + Guid.NewGuid().ToString("N")[..16],
            ["custom_id"] = request["custom_id"]?.DeepClone(),
            ["response"] = new JsonObject { ["status_code"] = failed ? 400 : 200, ["request_id"] = Guid.NewGuid().ToString("N"), ["body"] = answer },
            ["error"] = null,
        };
        return (line, failed);
    }

    private static JsonObject Chat(JsonObject body, string model, int padding)
    {
        var reply = ChatReplies.Default(body) + new string('x', padding);
        var prompt = ChatReplies.AllTexts(body).Sum(Words.Count);
        var completion = Words.Count(reply);
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24],
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion },
        };
    }

    private static JsonObject Embedding(JsonObject body, string model, string text)
    {
        var vector = Embeddings.Vector(text, JsonRead.Int(body["dimensions"]) ?? Embeddings.DefaultDimensions);
        var tokens = Words.Count(text);
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = 0,
                ["embedding"] = JsonRead.Str(body["encoding_format"]) == "base64" ? JsonValue.Create(Embeddings.ToBase64(vector)) : new JsonArray(vector.Select(f => (JsonNode?)f).ToArray()),
            }),
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
    }
}

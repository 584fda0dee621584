using System.Text.Json.Nodes;

namespace LlmTools.TestServer;

/// <summary>What a scripted chat turn answers: text, or tool calls (the finish reason is then tool_calls).</summary>
/// <param name="Text">The assistant's text; may go with calls.</param>
/// <param name="Calls">The tool calls it asks for: function name and arguments JSON.</param>
public sealed record ChatTurn(string? Text, IReadOnlyList<(string Name, string Arguments)>? Calls = null)
{
    /// <summary>A turn that asks for one call.</summary>
    public static ChatTurn Call(string name, string arguments) => new(null, [(name, arguments)]);

    /// <summary>A text answer.</summary>
    public static ChatTurn Say(string text) => new(text);

    /// <summary>
    /// The tool results of a request, as (call id, content): Chat Completions tool messages (role tool, tool_call_id),
    /// or Responses input items of type function_call_output (call_id, output).
    /// </summary>
    public static List<(string Id, string Content)> ToolResults(RecordedRequest request) => request.Json switch
    {
        { } body when body["messages"] is JsonArray messages =>
            messages.Where(m => JsonRead.Str(m?["role"]) == "tool").Select(m => (JsonRead.Str(m!["tool_call_id"]) ?? "", JsonRead.Str(m["content"]) ?? "")).ToList(),
        { } body when body["input"] is JsonArray items =>
            items.Where(i => JsonRead.Str(i?["type"]) == "function_call_output").Select(i => (JsonRead.Str(i!["call_id"]) ?? "", JsonRead.Str(i["output"]) ?? "")).ToList(),
        _ => [],
    };

    /// <summary>The tool calls as the message's tool_calls array, with ids that are unique to this answer.</summary>
    internal JsonArray ToolCallsJson(string answerId) => new((Calls ?? []).Select((call, i) => (JsonNode)new JsonObject
    {
        ["id"] = CallId(answerId, i),
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
    }).ToArray());

    internal static string CallId(string answerId, int index) => $"call_{answerId[^8..]}_{index}";
}

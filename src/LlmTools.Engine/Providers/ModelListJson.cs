using System.Text.Json;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Reads the body of GET /models. OpenAI and compatible servers answer <c>{"data":[{"id","created","owned_by"}]}</c>;
/// Azure's /openai/models (api-version 2024-10-21) answers <c>created_at</c>, <c>capabilities</c> (chat_completion,
/// embeddings) and <c>deprecation.inference</c>, the date the model stops answering, in Unix seconds. Why by hand and not
/// the SDK's OpenAIModel: it drops Azure's capabilities and deprecation dates, which are the point of the list there.
/// </summary>
internal static class ModelListJson
{
    /// <summary>The models of <paramref name="body"/>; entries without an id are skipped.</summary>
    /// <exception cref="JsonException">The body is not a model list.</exception>
    public static IReadOnlyList<ListedModel> Parse(BinaryData body)
    {
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("the answer has no \"data\" list of models");
        }

        var models = new List<ListedModel>();
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "id") is not { Length: > 0 } id)
            {
                continue;
            }

            var deprecation = item.TryGetProperty("deprecation", out var d) && d.ValueKind == JsonValueKind.Object ? Seconds(d, "inference") : null;
            models.Add(new ListedModel(id, Text(item, "owned_by"), Seconds(item, "created") ?? Seconds(item, "created_at"), KindOf(item, id), deprecation));
        }

        return models;
    }

    // why capabilities first: an Azure deployment may be named anything, its capabilities say what it does
    private static ModelKind KindOf(JsonElement item, string id)
    {
        if (item.TryGetProperty("capabilities", out var capabilities) && capabilities.ValueKind == JsonValueKind.Object)
        {
            if (IsTrue(capabilities, "chat_completion"))
            {
                return ModelKind.Chat;
            }

            if (IsTrue(capabilities, "embeddings"))
            {
                return ModelKind.Embedding;
            }
        }

        return ModelKinds.Of(id);
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // why the range: a server's nonsense number must not throw out of the whole list
    private static DateTimeOffset? Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
        && seconds > 0 && seconds < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}

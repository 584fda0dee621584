using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>
/// GET models, as OpenAI's API reference shows it (<c>{"object":"list","data":[{"id","object":"model","created","owned_by"}]}</c>)
/// and as Azure's data-plane Models - List (api-version 2024-10-21) adds to it: <c>capabilities</c>,
/// <c>lifecycle_status</c> and <c>deprecation.inference</c> in Unix seconds.
/// </summary>
public static class ModelList
{
    /// <summary>A fixed moment for created dates, so answers are the same on every run.</summary>
    private const long Created = 1_715_367_049;

    /// <summary>The default list: chat, embedding and other models, OpenAI-shaped.</summary>
    public static JsonArray Default() =>
    [
        Model("gpt-4o-mini", "system"),
        Model("gpt-4", "openai"),
        Model("text-embedding-3-small", "system"),
        Model("whisper-1", "openai-internal"),
        Model("my-org:ft-classifier", "my-org"),
    ];

    /// <summary>An Azure-shaped entry: capabilities say what it does, deprecation.inference when it stops answering.</summary>
    public static JsonObject AzureModel(string id, bool chat, bool embeddings, DateTimeOffset? inferenceEnds) => new()
    {
        ["id"] = id,
        ["object"] = "model",
        ["created_at"] = Created,
        ["status"] = "succeeded",
        ["lifecycle_status"] = "generally-available",
        ["capabilities"] = new JsonObject
        {
            ["fine_tune"] = false,
            ["inference"] = true,
            ["completion"] = false,
            ["chat_completion"] = chat,
            ["embeddings"] = embeddings,
        },
        ["deprecation"] = inferenceEnds is { } end ? new JsonObject { ["inference"] = end.ToUnixTimeSeconds() } : new JsonObject(),
    };

    /// <summary>An OpenAI-shaped entry.</summary>
    public static JsonObject Model(string id, string ownedBy) => new()
    {
        ["id"] = id,
        ["object"] = "model",
        ["created"] = Created,
        ["owned_by"] = ownedBy,
    };

    internal static void Map(WebApplication app, LlmRequestHandler handler)
    {
        app.MapGet("/v1/models", c => WriteAsync(c, handler.Server, ApiFlavor.OpenAI));
        app.MapGet("/openai/v1/models", c => WriteAsync(c, handler.Server, ApiFlavor.AzureV1));
        app.MapGet("/openai/models", c => WriteAsync(c, handler.Server, ApiFlavor.AzureDeployment));
    }

    private static async Task WriteAsync(HttpContext context, LoopbackLlmServer server, ApiFlavor flavor)
    {
        server.Record(await RecordedRequest.ReadAsync(context, LlmRoute.Models, deployment: null));
        if (server.TakeFault(LlmRoute.Models) is { } fault && await FaultResponder.ApplyAsync(context, fault, server.ShutdownToken))
        {
            return;
        }

        if (ApiKeyAuth.Check(context.Request, flavor, server.RequiredKey) is { } authError)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, authError.Message, "invalid_request_error", authError.Code);
            return;
        }

        var data = (JsonArray)(server.ModelsData ?? Default()).DeepClone();
        await JsonOut.WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["object"] = "list", ["data"] = data });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmTools.TestServer;

/// <summary>The route table: every path goes through <see cref="LlmRequestHandler"/>.</summary>
internal static class LlmEndpoints
{
    public static void Map(WebApplication app, LlmRequestHandler handler)
    {
        app.MapPost("/v1/chat/completions", c => handler.HandleAsync(c, LlmRoute.Chat, ApiFlavor.OpenAI));
        app.MapPost("/v1/embeddings", c => handler.HandleAsync(c, LlmRoute.Embeddings, ApiFlavor.OpenAI));

        app.MapPost("/openai/deployments/{deployment}/chat/completions", c => handler.HandleAsync(c, LlmRoute.Chat, ApiFlavor.AzureDeployment));
        app.MapPost("/openai/deployments/{deployment}/embeddings", c => handler.HandleAsync(c, LlmRoute.Embeddings, ApiFlavor.AzureDeployment));

        app.MapPost("/openai/v1/chat/completions", c => handler.HandleAsync(c, LlmRoute.Chat, ApiFlavor.AzureV1));
        app.MapPost("/openai/v1/embeddings", c => handler.HandleAsync(c, LlmRoute.Embeddings, ApiFlavor.AzureV1));

        BatchEndpoints.Map(app, handler.Server);
        ModelList.Map(app, handler);
        app.MapPost("/v1/responses", c => handler.HandleAsync(c, LlmRoute.Responses, ApiFlavor.OpenAI));
        app.MapPost("/openai/v1/responses", c => handler.HandleAsync(c, LlmRoute.Responses, ApiFlavor.AzureV1));

        // Anything else (other paths, other methods) is recorded as Other and answered 404.
        app.Map("/{**path}", c => handler.HandleAsync(c, LlmRoute.Other, ApiFlavor.OpenAI));
    }
}

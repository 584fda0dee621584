using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmTools.TestServer;

/// <summary>Per request: record it, apply a queued fault, check the key, then answer.</summary>
internal sealed class LlmRequestHandler(LoopbackLlmServer server)
{
    /// <summary>The server this handler answers for (other route files share it).</summary>
    public LoopbackLlmServer Server => server;

    public async Task HandleAsync(HttpContext context, LlmRoute route, ApiFlavor flavor)
    {
        var deployment = flavor == ApiFlavor.AzureDeployment ? context.GetRouteValue("deployment") as string : null;
        var request = await RecordedRequest.ReadAsync(context, route, deployment);
        server.Record(request);

        if (route == LlmRoute.Other)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound,
                $"Invalid URL ({request.Method} {request.Path})", "invalid_request_error", code: null);
            return;
        }

        var fault = server.TakeFault(route);
        if (fault is not null && await FaultResponder.ApplyAsync(context, fault, server.ShutdownToken))
        {
            return;
        }

        if (ApiKeyAuth.Check(context.Request, flavor, server.RequiredKey) is { } authError)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, authError.Message, "invalid_request_error", authError.Code);
            return;
        }

        if (request.Json is not JsonObject body)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest,
                "We could not parse the JSON body of your request.", "invalid_request_error", code: null);
            return;
        }

        if (server.RateLimits is { } limits && !limits.Admit(context.Response, ServerRateLimits.EstimateTokens(body, route), out var refusal))
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, refusal!, "requests", "rate_limit_exceeded");
            return;
        }

        if (server.Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(server.Latency, server.ShutdownToken);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
        }

        var model = deployment ?? JsonRead.Str(body["model"]) ?? "loopback-model";
        if (route == LlmRoute.Responses)
        {
            await ResponsesApi.WriteAsync(context, body, model, request, server);
        }
        else if (route == LlmRoute.Chat)
        {
            var turn = server.ChatScript?.Invoke(request) ?? ChatTurn.Say(server.ChatReply?.Invoke(request) ?? ChatReplies.Default(body));
            await ChatCompletions.WriteAsync(context, body, model, turn, server);
        }
        else
        {
            await Embeddings.WriteAsync(context, body, model, server);
        }
    }
}

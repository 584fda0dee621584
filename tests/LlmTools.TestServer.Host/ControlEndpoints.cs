using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmTools.TestServer.Host;

/// <summary>
/// What a test in another process needs from the server, under /_test/ (never a path the module calls):
/// GET /_test/requests (the request log as JSON), POST /_test/reset, POST /_test/required-key (body: the key),
/// POST /_test/tool-calls (body: [{"name", "arguments"}]; each chat answer asks for these calls until the request
/// holds tool results, then says "Tool said: " and the results).
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, LoopbackLlmServer server)
    {
        app.MapGet("/_test/requests", () => Results.Text(RequestLog(server).ToJsonString(), "application/json"));

        app.MapPost("/_test/reset", () =>
        {
            server.ClearRequests();
            server.ClearFaults();
            server.RequiredKey = null;
            server.ChatScript = null;
            return Results.NoContent();
        });

        app.MapPost("/_test/tool-calls", async (HttpRequest request) =>
        {
            var calls = (await JsonNode.ParseAsync(request.Body))!.AsArray()
                .Select(c => ((string)c!["name"]!, c["arguments"]?.ToString() ?? "{}")).ToList();
            server.ChatScript = chat => ChatTurn.ToolResults(chat) is { Count: > 0 } results
                ? ChatTurn.Say("Tool said: " + string.Join(" | ", results.Select(r => r.Content)))
                : new ChatTurn(null, calls);
            return Results.NoContent();
        });

        app.MapPost("/_test/required-key", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var key = (await reader.ReadToEndAsync()).Trim();
            server.RequiredKey = key.Length == 0 ? null : key;
            return Results.NoContent();
        });
    }

    private static JsonArray RequestLog(LoopbackLlmServer server)
    {
        var log = new JsonArray();
        foreach (var request in server.Requests)
        {
            var headers = new JsonObject();
            foreach (var (name, value) in request.Headers)
            {
                headers[name] = value;
            }

            log.Add(new JsonObject
            {
                ["method"] = request.Method,
                ["path"] = request.Path,
                ["query"] = request.Query,
                ["route"] = request.Route.ToString(),
                ["deployment"] = request.Deployment,
                ["headers"] = headers,
                ["json"] = request.Json?.DeepClone(),
            });
        }

        return log;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LlmTools.TestServer;

/// <summary>
/// The Files and Batch API routes on the three path families: /v1/ (OpenAI), /openai/ (Azure, with api-version) and
/// /openai/v1/ (Azure's v1 API). Recorded, faulted and key-checked like the chat routes.
/// </summary>
internal static class BatchEndpoints
{
    public static void Map(WebApplication app, LoopbackLlmServer server)
    {
        foreach (var (prefix, flavor) in new[] { ("/v1", ApiFlavor.OpenAI), ("/openai", ApiFlavor.AzureDeployment), ("/openai/v1", ApiFlavor.AzureV1) })
        {
            app.MapPost(prefix + "/files", c => Handle(c, server, flavor, UploadAsync));
            app.MapGet(prefix + "/files/{id}/content", c => Handle(c, server, flavor, ContentAsync));
            app.MapPost(prefix + "/batches", c => Handle(c, server, flavor, CreateAsync));
            app.MapGet(prefix + "/batches", c => Handle(c, server, flavor, (ctx, s, _) => JsonOut.WriteAsync(ctx, 200, s.Batches.List(int.TryParse(ctx.Request.Query["limit"], out var l) ? l : 20))));
            app.MapGet(prefix + "/batches/{id}", c => Handle(c, server, flavor, (ctx, s, _) => Answer(ctx, s.Batches.Advance(Id(ctx)))));
            app.MapPost(prefix + "/batches/{id}/cancel", c => Handle(c, server, flavor, (ctx, s, _) => Answer(ctx, s.Batches.Cancel(Id(ctx)))));
        }
    }

    private static async Task Handle(HttpContext context, LoopbackLlmServer server, ApiFlavor flavor, Func<HttpContext, LoopbackLlmServer, RecordedRequest, Task> answer)
    {
        var request = await RecordedRequest.ReadAsync(context, LlmRoute.Batch, deployment: null);
        server.Record(request);
        if (!server.Batches.Enabled)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, $"Invalid URL ({request.Method} {request.Path})", "invalid_request_error", code: null);
            return;
        }

        if (server.TakeFault(LlmRoute.Batch) is { } fault && await FaultResponder.ApplyAsync(context, fault, server.ShutdownToken))
        {
            return;
        }

        if (ApiKeyAuth.Check(context.Request, flavor, server.RequiredKey) is { } authError)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, authError.Message, "invalid_request_error", authError.Code);
            return;
        }

        await answer(context, server, request);
    }

    private static async Task UploadAsync(HttpContext context, LoopbackLlmServer server, RecordedRequest request)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).Value;
        var reader = new MultipartReader(boundary!, new MemoryStream(Encoding.UTF8.GetBytes(request.Body)));
        string? purpose = null, name = null;
        byte[]? content = null;
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer);
            if (disposition.Name.Value == "purpose")
            {
                purpose = Encoding.UTF8.GetString(buffer.ToArray());
            }
            else if (disposition.Name.Value == "file")
            {
                content = buffer.ToArray();
                name = disposition.FileName.Value;
            }
        }

        if (content is null || purpose is null)
        {
            await OpenAIError.WriteAsync(context, 400, "'file' and 'purpose' are required.", "invalid_request_error", null);
            return;
        }

        await JsonOut.WriteAsync(context, 200, server.Batches.AddFile(content, purpose, name ?? "upload"));
    }

    private static async Task ContentAsync(HttpContext context, LoopbackLlmServer server, RecordedRequest request)
    {
        if (server.Batches.FileContent(Id(context)) is not { } content)
        {
            await OpenAIError.WriteAsync(context, 404, $"No such File object: {Id(context)}", "invalid_request_error", null);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(content);
    }

    private static Task CreateAsync(HttpContext context, LoopbackLlmServer server, RecordedRequest request)
    {
        var body = request.Json as JsonObject;
        var (file, endpoint, window) = (JsonRead.Str(body?["input_file_id"]), JsonRead.Str(body?["endpoint"]), JsonRead.Str(body?["completion_window"]));
        if (file is null || endpoint is null || window != "24h")
        {
            return OpenAIError.WriteAsync(context, 400, "input_file_id, endpoint and completion_window '24h' are required.", "invalid_request_error", null);
        }

        return Answer(context, server.Batches.Create(file, endpoint));
    }

    private static Task Answer(HttpContext context, JsonObject? batch) => batch is null
        ? OpenAIError.WriteAsync(context, 404, "No such batch or file.", "invalid_request_error", null)
        : JsonOut.WriteAsync(context, 200, batch);

    private static string Id(HttpContext context) => context.GetRouteValue("id") as string ?? string.Empty;
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>Writes a chat.completion object, or a chat.completion.chunk SSE stream when "stream": true.</summary>
internal static class ChatCompletions
{
    private const string Fingerprint = "fp_loopback";

    public static async Task WriteAsync(HttpContext context, JsonObject body, string model, string reply, LoopbackLlmServer server)
    {
        var (chunkDelay, shutdown) = (server.StreamChunkDelay, server.ShutdownToken);
        var head = new Head("chatcmpl-" + Guid.NewGuid().ToString("N")[..24], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model);
        var promptTokens = ChatReplies.AllTexts(body).Sum(Words.Count);
        var cap = JsonRead.Int(body["max_tokens"]) ?? JsonRead.Int(body["max_completion_tokens"]);
        var usage = Usage(promptTokens, server.CompletionFillsCap && cap is { } most ? most : Words.Count(reply), server.UsageDetails);
        if (JsonRead.IsTrue(body["stream"]))
        {
            var includeUsage = JsonRead.IsTrue(body["stream_options"]?["include_usage"]);
            await StreamAsync(context, head, reply, includeUsage ? usage : null, chunkDelay, shutdown);
            return;
        }

        var completion = head.ToJson("chat.completion");
        completion["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        });
        completion["usage"] = usage;
        await JsonOut.WriteAsync(context, StatusCodes.Status200OK, completion);
    }

    private static async Task StreamAsync(HttpContext context, Head head, string reply, JsonObject? usage, TimeSpan chunkDelay, CancellationToken shutdown)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
        var token = cancel.Token;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        try
        {
            await SendAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null));
            foreach (var piece in Words.Chunks(reply))
            {
                if (chunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(chunkDelay, token);
                }

                await SendAsync(Chunk(new JsonObject { ["content"] = piece }, null));
            }

            await SendAsync(Chunk(new JsonObject(), "stop"));
            if (usage is not null)
            {
                var last = head.ToJson("chat.completion.chunk");
                last["choices"] = new JsonArray();
                last["usage"] = usage;
                await SendAsync(last);
            }

            await response.WriteAsync("data: [DONE]\n\n", token);
            await response.Body.FlushAsync(token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Client went away or the server is shutting down: cut the stream short.
            context.Abort();
        }

        JsonObject Chunk(JsonObject delta, string? finishReason)
        {
            var chunk = head.ToJson("chat.completion.chunk");
            chunk["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            });
            if (usage is not null)
            {
                chunk["usage"] = null; // as the service does when include_usage is on
            }

            return chunk;
        }

        async Task SendAsync(JsonObject chunk)
        {
            await response.WriteAsync("data: " + JsonOut.Serialize(chunk) + "\n\n", token);
            await response.Body.FlushAsync(token);
        }
    }

    private static JsonObject Usage(int prompt, int completion, (int Cached, int Reasoning)? details)
    {
        var usage = new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["total_tokens"] = prompt + completion,
        };
        if (details is { } d)
        {
            usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = d.Cached, ["audio_tokens"] = 0 };
            usage["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = d.Reasoning, ["audio_tokens"] = 0 };
        }

        return usage;
    }

    private sealed record Head(string Id, long Created, string Model)
    {
        public JsonObject ToJson(string objectType) => new()
        {
            ["id"] = Id,
            ["object"] = objectType,
            ["created"] = Created,
            ["model"] = Model,
            ["system_fingerprint"] = Fingerprint,
        };
    }
}

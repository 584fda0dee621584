using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>Writes a chat.completion object, or a chat.completion.chunk SSE stream when "stream": true.</summary>
internal static class ChatCompletions
{
    private const string Fingerprint = "fp_loopback";

    public static async Task WriteAsync(HttpContext context, JsonObject body, string model, ChatTurn turn, LoopbackLlmServer server)
    {
        var reply = turn.Text ?? string.Empty;
        var (chunkDelay, shutdown) = (server.StreamChunkDelay, server.ShutdownToken);
        var head = new Head("chatcmpl-" + Guid.NewGuid().ToString("N")[..24], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model);
        var promptTokens = ChatReplies.AllTexts(body).Sum(Words.Count);
        var cap = JsonRead.Int(body["max_tokens"]) ?? JsonRead.Int(body["max_completion_tokens"]);
        var usage = Usage(promptTokens, server.CompletionFillsCap && cap is { } most ? most : Words.Count(reply) + (turn.Calls?.Count ?? 0), server.UsageDetails);
        var calls = turn.Calls is { Count: > 0 } ? turn.ToolCallsJson(head.Id) : null;
        if (JsonRead.IsTrue(body["stream"]))
        {
            var includeUsage = JsonRead.IsTrue(body["stream_options"]?["include_usage"]);
            await StreamAsync(context, head, reply, calls, includeUsage ? usage : null, chunkDelay, shutdown);
            return;
        }

        var completion = head.ToJson("chat.completion");
        completion["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = calls is null
                ? new JsonObject { ["role"] = "assistant", ["content"] = reply, ["refusal"] = null }
                : new JsonObject { ["role"] = "assistant", ["content"] = turn.Text, ["refusal"] = null, ["tool_calls"] = calls },
            ["logprobs"] = null,
            ["finish_reason"] = calls is null ? "stop" : "tool_calls",
        });
        completion["usage"] = usage;
        await JsonOut.WriteAsync(context, StatusCodes.Status200OK, completion);
    }

    private static async Task StreamAsync(HttpContext context, Head head, string reply, JsonArray? calls, JsonObject? usage, TimeSpan chunkDelay, CancellationToken shutdown)
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

            // why pieces: the service sends a call's id and name first, then its arguments in fragments
            for (var i = 0; i < (calls?.Count ?? 0); i++)
            {
                var call = calls![i]!;
                var arguments = JsonRead.Str(call["function"]!["arguments"]) ?? "";
                await SendAsync(Chunk(CallDelta(i, new JsonObject { ["index"] = i, ["id"] = call["id"]!.DeepClone(), ["type"] = "function", ["function"] = new JsonObject { ["name"] = call["function"]!["name"]!.DeepClone(), ["arguments"] = "" } }), null));
                for (var at = 0; at < arguments.Length; at += 7)
                {
                    await SendAsync(Chunk(CallDelta(i, new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = arguments.Substring(at, Math.Min(7, arguments.Length - at)) } }), null));
                }
            }

            await SendAsync(Chunk(new JsonObject(), calls is null ? "stop" : "tool_calls"));
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

        static JsonObject CallDelta(int index, JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

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

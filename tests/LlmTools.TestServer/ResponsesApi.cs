using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmTools.TestServer;

/// <summary>
/// POST /responses as OpenAI's API reference shows it: a "response" object (id resp_..., status, output of message
/// items with output_text parts, usage with input_tokens, output_tokens and their details, incomplete_details), or,
/// with "stream": true, server-sent events response.created, response.output_text.delta ... and response.completed.
/// The reply echoes the last user input ("Echo: ..."), or a sample object for text.format json_schema; with
/// max_output_tokens below its length it is cut there and the response is incomplete (reason max_output_tokens).
/// </summary>
internal static class ResponsesApi
{
    public static async Task WriteAsync(HttpContext context, JsonObject body, string model, RecordedRequest request, LoopbackLlmServer server)
    {
        var turn = server.ChatScript?.Invoke(request);
        var reply = turn?.Text ?? server.ChatReply?.Invoke(request) ?? DefaultReply(body);
        var cap = JsonRead.Int(body["max_output_tokens"]);
        var words = Words.Chunks(reply).ToList();
        var cut = cap is { } most && words.Count(w => !string.IsNullOrWhiteSpace(w)) > most;
        if (cut)
        {
            reply = string.Concat(words.Take(cap!.Value)).TrimEnd();
        }

        var id = "resp_" + Guid.NewGuid().ToString("N");
        var response = Response(id, body, model, reply, cut, server.UsageDetails);
        if (turn?.Calls is { Count: > 0 })
        {
            // why after the message: a model may say something, then call; each call is a function_call output item
            var output = (JsonArray)response["output"]!;
            if (reply.Length == 0)
            {
                output.Clear();
            }

            foreach (var call in turn.ToolCallsJson(id))
            {
                output.Add(new JsonObject
                {
                    ["type"] = "function_call",
                    ["id"] = "fc_" + ((string)call!["id"]!)[5..],
                    ["call_id"] = call["id"]!.DeepClone(),
                    ["name"] = call["function"]!["name"]!.DeepClone(),
                    ["arguments"] = call["function"]!["arguments"]!.DeepClone(),
                    ["status"] = "completed",
                });
            }
        }
        if (!JsonRead.IsTrue(body["stream"]))
        {
            await JsonOut.WriteAsync(context, StatusCodes.Status200OK, response);
            return;
        }

        await StreamAsync(context, id, body, model, reply, response, server);
    }

    private static async Task StreamAsync(HttpContext context, string id, JsonObject body, string model, string reply, JsonObject final, LoopbackLlmServer server)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.ShutdownToken);
        var token = cancel.Token;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        var sequence = 0;
        try
        {
            var created = (JsonObject)final.DeepClone();
            created["status"] = "in_progress";
            created["output"] = new JsonArray();
            created["usage"] = null;
            await SendAsync("response.created", new JsonObject { ["response"] = created });
            foreach (var piece in Words.Chunks(reply))
            {
                if (server.StreamChunkDelay > TimeSpan.Zero)
                {
                    await Task.Delay(server.StreamChunkDelay, token);
                }

                await SendAsync("response.output_text.delta", new JsonObject
                {
                    ["item_id"] = "msg_" + id[5..], ["output_index"] = 0, ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray(),
                });
            }

            if (!server.ResponsesStreamStopsEarly)
            {
                var done = JsonRead.Str(final["status"]) == "incomplete" ? "response.incomplete" : "response.completed";
                await SendAsync(done, new JsonObject { ["response"] = final });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
        }

        async Task SendAsync(string type, JsonObject data)
        {
            data["type"] = type;
            data["sequence_number"] = sequence++;
            await context.Response.WriteAsync($"event: {type}\ndata: {JsonOut.Serialize(data)}\n\n", token);
            await context.Response.Body.FlushAsync(token);
        }
    }

    private static JsonObject Response(string id, JsonObject body, string model, string reply, bool cut, (int Cached, int Reasoning)? details)
    {
        var input = InputTexts(body).Sum(Words.Count) + Words.Count(JsonRead.Str(body["instructions"]) ?? string.Empty);
        var output = Words.Count(reply);
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "response",
            ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["status"] = cut ? "incomplete" : "completed",
            ["error"] = null,
            ["incomplete_details"] = cut ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = body["instructions"]?.DeepClone(),
            ["max_output_tokens"] = body["max_output_tokens"]?.DeepClone(),
            ["model"] = model,
            ["output"] = new JsonArray(new JsonObject
            {
                ["type"] = "message",
                ["id"] = "msg_" + id[5..],
                ["status"] = cut ? "incomplete" : "completed",
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = reply, ["annotations"] = new JsonArray() }),
            }),
            ["parallel_tool_calls"] = true,
            ["previous_response_id"] = body["previous_response_id"]?.DeepClone(),
            ["store"] = body["store"]?.DeepClone() ?? true,
            ["temperature"] = body["temperature"]?.DeepClone() ?? 1.0,
            ["text"] = body["text"]?.DeepClone() ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = "auto",
            ["tools"] = new JsonArray(),
            ["top_p"] = body["top_p"]?.DeepClone() ?? 1.0,
            ["truncation"] = "disabled",
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = input,
                ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = details?.Cached ?? 0 },
                ["output_tokens"] = output,
                ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = details?.Reasoning ?? 0 },
                ["total_tokens"] = input + output,
            },
            ["metadata"] = new JsonObject(),
        };
    }

    private static string DefaultReply(JsonObject body)
    {
        var format = body["text"]?["format"];
        var echo = "Echo: " + (UserTexts(body).LastOrDefault() ?? string.Empty);
        return JsonRead.Str(format?["type"]) switch
        {
            "json_object" => JsonOut.Serialize(new JsonObject { ["answer"] = echo }),
            "json_schema" => JsonOut.Serialize(ChatReplies.SampleObject(format?["schema"])),
            _ => echo,
        };
    }

    /// <summary>"input" is a string (one user message) or a list of items whose content is a string or input_text/output_text parts.</summary>
    private static IEnumerable<string> InputTexts(JsonObject body) => body["input"] switch
    {
        JsonArray items => items.Select(i => Text(i?["content"])),
        var one => [JsonRead.Str(one) ?? string.Empty],
    };

    private static IEnumerable<string> UserTexts(JsonObject body) => body["input"] switch
    {
        JsonArray items => items.Where(i => JsonRead.Str(i?["role"]) == "user").Select(i => Text(i?["content"])),
        var one => JsonRead.Str(one) is { } text ? [text] : [],
    };

    private static string Text(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.Select(p => JsonRead.Str(p?["text"]))),
        _ => JsonRead.Str(content) ?? string.Empty,
    };
}

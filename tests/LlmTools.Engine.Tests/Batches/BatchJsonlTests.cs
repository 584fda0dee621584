using System.Text.Json.Nodes;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Tests.Batches;

/// <summary>
/// The batch file format against the OpenAI spec (openai/openai-openapi, BatchRequestInput and BatchRequestOutput;
/// the Batch API guide's example lines), the split at the provider's limits, and the chat body the synchronous path sends.
/// </summary>
public sealed class BatchJsonlTests
{
    [Fact]
    public void One_hundred_twenty_thousand_inputs_split_into_files_within_the_request_limit_in_order()
    {
        var lines = Enumerable.Range(0, 120_000)
            .Select(i => BatchJsonl.Line(i, "/v1/embeddings", BatchJsonl.EmbeddingBody("text-embedding-3-small", $"text {i}", null)))
            .ToList();

        var files = BatchJsonl.Split(lines, BatchLimits.Provider);

        Assert.Equal([(0, 50_000), (50_000, 50_000), (100_000, 20_000)], files.Select(f => (f.Start, f.Count)));
        Assert.All(files, f => Assert.True(f.Bytes <= BatchLimits.Provider.MaxBytes));
        Assert.Equal(lines.Sum(l => (long)l.Length), files.Sum(f => f.Bytes));
        Assert.Equal(119_999, BatchJsonl.IndexOf(JsonNode.Parse(lines[^1])!["custom_id"]!.GetValue<string>()));
    }

    [Fact]
    public void A_file_ends_before_the_line_that_would_cross_the_byte_limit()
    {
        var lines = Enumerable.Range(0, 10).Select(i => new byte[100]).ToList();

        var files = BatchJsonl.Split(lines, new BatchLimits(MaxRequests: 50_000, MaxBytes: 350));

        Assert.Equal([3, 3, 3, 1], files.Select(f => f.Count));
        Assert.All(files, f => Assert.True(f.Bytes <= 350));
    }

    [Fact]
    public void Embedding_files_hold_few_enough_lines_for_their_output_file_to_be_read()
    {
        Assert.Equal(50_000, BatchLimits.ForEmbeddings(256).MaxRequests);
        Assert.InRange(BatchLimits.ForEmbeddings(null).MaxRequests, 5_000, 6_000);
        Assert.InRange(BatchLimits.ForEmbeddings(1536).MaxRequests * ((1536 * 16L / 3) + 400), 0, 100L * 1024 * 1024);
    }

    [Fact]
    public void A_line_larger_than_a_file_may_be_is_refused()
    {
        var error = Assert.Throws<Diagnostics.LlmException>(() => BatchJsonl.Split([new byte[500]], new BatchLimits(10, 400)));

        Assert.Equal(Diagnostics.LlmErrorId.InputTooLong, error.ErrorId);
    }

    [Fact]
    public void An_input_line_has_the_fields_of_the_spec_and_ends_in_a_line_break()
    {
        var line = BatchJsonl.Line(7, "/v1/embeddings", BatchJsonl.EmbeddingBody("text-embedding-3-small", "hello", 256));

        Assert.Equal((byte)'\n', line[^1]);
        var json = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(["custom_id", "method", "url", "body"], json.Select(p => p.Key));
        Assert.Equal("item-7", (string)json["custom_id"]!);
        Assert.Equal("POST", (string)json["method"]!);
        Assert.Equal("/v1/embeddings", (string)json["url"]!);
        Assert.Equal("""{"input":"hello","model":"text-embedding-3-small","dimensions":256,"encoding_format":"base64"}""", json["body"]!.ToJsonString());
    }

    [Fact]
    public void Output_and_error_lines_map_back_to_their_inputs_in_any_order()
    {
        // why these shapes: the Batch API guide's example output line, and a per-request failure as the error file holds it
        var file = string.Join('\n',
            """{"id": "batch_req_2", "custom_id": "item-2", "response": {"status_code": 200, "request_id": "req_2", "body": {"id": "chatcmpl-2", "object": "chat.completion", "created": 1711652795, "model": "gpt-3.5-turbo-0125", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello."}, "logprobs": null, "finish_reason": "stop"}], "usage": {"prompt_tokens": 22, "completion_tokens": 2, "total_tokens": 24}, "system_fingerprint": "fp_3478"}}, "error": null}""",
            """{"id": "batch_req_0", "custom_id": "item-0", "response": {"status_code": 400, "request_id": "req_0", "body": {"error": {"message": "Bad value", "type": "invalid_request_error", "code": "invalid_value"}}}, "error": null}""",
            """{"id": "batch_req_1", "custom_id": "item-1", "response": null, "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}}""",
            """{"custom_id": "not-ours"}""",
            "not json",
            string.Empty);

        var results = BatchJsonl.ReadResults(BinaryData.FromString(file).ToStream()).OrderBy(r => r.Index).ToList();

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal("invalid_value: Bad value", results[0].Error);
        Assert.Equal(400, results[0].StatusCode);
        Assert.Equal("batch_expired: This request could not be executed before the completion window expired.", results[1].Error);
        Assert.True(results[2].Succeeded);
        var answer = BatchService.ChatResultOf(results[2].Body!, "gpt-3.5-turbo");
        Assert.Equal("Hello.", answer.Content);
        Assert.Equal("stop", answer.FinishReason);
        Assert.Equal(24, answer.Usage!.TotalTokens);
    }

    [Fact]
    public void An_embedding_body_reads_as_floats_or_base64()
    {
        var floats = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25]}],"model":"m","usage":{"prompt_tokens":3,"total_tokens":3}}""";
        var base64 = """{"data":[{"embedding":"AAAAPwAAgL4="}]}""";

        Assert.Equal([0.5f, -0.25f], BatchService.VectorOf(floats).Vector);
        Assert.Equal(3, BatchService.VectorOf(floats).Tokens);
        Assert.Equal([0.5f, -0.25f], BatchService.VectorOf(base64).Vector);
    }

    [Fact]
    public void A_chat_body_is_the_one_the_SDK_sends_with_the_mapping_of_the_synchronous_path()
    {
        var request = new ChatRequest
        {
            Messages = [ChatMessage.System("Be terse."), ChatMessage.User("Hi")],
            Model = "o4-mini",
            Sampling = new SamplingOptions { MaxTokens = 50, Seed = 3 },
            ResponseFormat = ResponseFormat.JsonObject,
        };

        var body = JsonNode.Parse(new ChatBodyCapture().Body(request))!.AsObject();

        Assert.Equal("o4-mini", (string)body["model"]!);
        Assert.Equal("developer", (string)body["messages"]![0]!["role"]!); // why: reasoning models take instructions as developer messages
        Assert.Equal(50, (int)body["max_completion_tokens"]!);
        Assert.Null(body["max_tokens"]);
        Assert.Null(body["stream"]);
        Assert.Equal("json_object", (string)body["response_format"]!["type"]!);
        Assert.Equal(3, (int)body["seed"]!);
    }

    [Fact]
    public void Each_batch_answers_one_contiguous_range_of_inputs()
    {
        var ranges = BatchJsonl.Ranges([0, 4, 7], inputs: 10, batches: 3).Select(r => (r.Batches.Start.Value, r.Inputs.Start.Value, r.Inputs.End.Value));

        Assert.Equal([(0, 0, 4), (1, 4, 7), (2, 7, 10)], ranges);
        Assert.Equal([(Range.All, Range.All)], BatchJsonl.Ranges([], inputs: 5, batches: 0));
        Assert.Equal([(Range.All, Range.All)], BatchJsonl.Ranges([0], inputs: 5, batches: 2)); // a job without its ranges
    }

    [Fact]
    public void A_custom_id_names_its_input_and_nothing_else_maps()
    {
        Assert.Equal(42, BatchJsonl.IndexOf(BatchJsonl.CustomId(42)));
        Assert.Null(BatchJsonl.IndexOf("item-x"));
        Assert.Null(BatchJsonl.IndexOf("request-1"));
        Assert.Null(BatchJsonl.IndexOf(null));
    }
}

using System.Management.Automation;
using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// -Api Responses against the loopback server. Request bodies checked against OpenAI's API reference, "Create a model
/// response" (POST /v1/responses): model, input (message items: role, content of input_text / output_text parts),
/// instructions, max_output_tokens, temperature, top_p, reasoning.effort, text.format (type json_schema with name,
/// schema, strict), text.verbosity, service_tier, prompt_cache_key, store, previous_response_id, stream; and Azure's
/// v1 API, which serves the same body at POST /openai/v1/responses with an api-key header (Microsoft Learn, "Use the
/// Azure OpenAI Responses API": base URL https://RESOURCE.openai.azure.com/openai/v1/, model = the deployment name,
/// turns chained by previous_response_id).
/// </summary>
public sealed class ResponsesApiTests : LlmTestContext
{
    private JsonNode Body() => Server.Requests.Last(r => r.Route == LlmRoute.Responses).Json!;

    [Fact]
    public void A_request_carries_every_control_where_the_Responses_API_names_it()
    {
        Server.UsageDetails = (2, 5);
        var result = Ps.Invoke("Send-LlmMessage 'hi there' -Api Responses -Model gpt-5-mini -SystemPrompt 'Be brief.' -MaxTokens 100 -Temperature 0.5 -TopP 0.9 -ReasoningEffort low -Verbosity high -ServiceTier flex -PromptCacheKey tickets-v1 -JsonSchema @{ type = 'object'; properties = @{ city = @{ type = 'string' } }; required = @('city'); additionalProperties = $false }");

        Assert.Empty(result.Errors);
        var request = Server.Requests.Single();
        Assert.Equal("/v1/responses", request.Path);
        var body = Body();
        Assert.Equal("gpt-5-mini", (string?)body["model"]);
        Assert.Equal("Be brief.", (string?)body["instructions"]); // the leading system prompt
        var input = Assert.Single(body["input"]!.AsArray())!;
        Assert.Equal(("message", "user"), ((string?)input["type"], (string?)input["role"]));
        Assert.Equal(("input_text", "hi there"), ((string?)input["content"]![0]!["type"], (string?)input["content"]![0]!["text"]));
        Assert.Equal(100, (int?)body["max_output_tokens"]);
        Assert.Equal(0.5, (double)body["temperature"]!, 3);
        Assert.Equal(0.9, (double)body["top_p"]!, 3);
        Assert.Equal("low", (string?)body["reasoning"]!["effort"]);
        Assert.Equal("high", (string?)body["text"]!["verbosity"]);
        var format = body["text"]!["format"]!;
        Assert.Equal(("json_schema", "response"), ((string?)format["type"], (string?)format["name"]));
        Assert.Equal("string", (string?)format["schema"]!["properties"]!["city"]!["type"]);
        Assert.Equal("flex", (string?)body["service_tier"]);
        Assert.Equal("tickets-v1", (string?)body["prompt_cache_key"]);
        Assert.False((bool)body["store"]!); // nothing kept on the server unless -Store
        Assert.Null(body["messages"]);
        Assert.Null(body["max_tokens"]);
        Assert.Null(body["previous_response_id"]);

        var response = result.Output.Single();
        Assert.Equal("text", ((PSObject)response.Properties["Data"].Value).Properties["city"].Value);
        Assert.Equal("stop", response.Properties["FinishReason"].Value);
        Assert.Equal("Responses", response.Properties["Api"].Value);
        Assert.StartsWith("resp_", (string)response.Properties["Id"].Value);
        Assert.Equal(2, response.Properties["CachedTokens"].Value); // input_tokens_details.cached_tokens
        Assert.Equal(5, response.Properties["ReasoningTokens"].Value); // output_tokens_details.reasoning_tokens
        Assert.True((int)response.Properties["PromptTokens"].Value > 0);
    }

    [Fact]
    public void A_capped_answer_finishes_with_length_and_a_stream_arrives_in_pieces()
    {
        var capped = Ps.Invoke("Send-LlmMessage 'one two three four five' -Api Responses -MaxTokens 2");
        var streamed = Ps.Invoke("Send-LlmMessage 'stream these words' -Api Responses -Stream");

        Assert.Equal("length", capped.Output.Single().Properties["FinishReason"].Value); // status incomplete, reason max_output_tokens
        Assert.True((bool)Body()["stream"]!);
        var pieces = streamed.Information.Where(i => i.Tags.Contains("PSHOST")).Select(i => ((HostInformationMessage)i.MessageData).Message).ToList();
        Assert.True(pieces.Count(p => p.Length > 0) >= 3);
        var response = streamed.Output.Single();
        Assert.Equal("Echo: stream these words", response.Properties["Content"].Value);
        Assert.Equal("stop", response.Properties["FinishReason"].Value);
        Assert.NotNull(response.Properties["TotalTokens"].Value);
    }

    [Fact]
    public void A_stream_without_response_completed_is_incomplete_and_not_cached()
    {
        Server.ResponsesStreamStopsEarly = true;
        var cut = Ps.Invoke("Send-LlmMessage 'cut me off' -Api Responses -Stream -Cache");
        Server.ResponsesStreamStopsEarly = false;
        var again = Ps.Invoke("Send-LlmMessage 'cut me off' -Api Responses -Stream -Cache");

        var error = Assert.Single(cut.Errors);
        Assert.StartsWith("ResponseIncomplete,", error.FullyQualifiedErrorId);
        Assert.False((bool)again.Output.Single().Properties["Cached"].Value);
        Assert.Equal(2, Server.CountOf(LlmRoute.Responses));
    }

    [Fact]
    public void The_API_is_in_the_cache_key_and_retries_cover_the_wire()
    {
        Server.EnqueueFault(Fault.ServerError(503).For(LlmRoute.Responses));
        var first = Ps.Invoke("Send-LlmMessage 'same question' -Api Responses -Cache");
        var repeat = Ps.Invoke("Send-LlmMessage 'same question' -Api Responses -Cache");
        var chat = Ps.Invoke("Send-LlmMessage 'same question' -Cache");

        Assert.Empty(first.Errors);
        Assert.True((bool)repeat.Output.Single().Properties["Cached"].Value);
        Assert.False((bool)chat.Output.Single().Properties["Cached"].Value);
        Assert.Equal(2, Server.CountOf(LlmRoute.Responses)); // the 503, then the answer
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_conversation_continues_by_its_messages_or_by_the_stored_response()
    {
        var result = Ps.Invoke("""
            $first = Send-LlmMessage 'first question' -Api Responses -Store
            $first | Send-LlmMessage 'by the list' -Api Responses | Out-Null
            $first | Send-LlmMessage 'by the server' -Api Responses -Store -UseServerState
            $first.Id
            """);

        Assert.Empty(result.Errors);
        var bodies = Server.Requests.Where(r => r.Route == LlmRoute.Responses).Select(r => r.Json!).ToList();
        Assert.True((bool)bodies[0]["store"]!);
        Assert.Equal(["user", "assistant", "user"], bodies[1]["input"]!.AsArray().Select(i => (string?)i!["role"]));
        Assert.Equal("output_text", (string?)bodies[1]["input"]![1]!["content"]![0]!["type"]); // an earlier answer goes back as output text
        Assert.Null(bodies[1]["previous_response_id"]);
        Assert.Equal((string)result.Output[1].BaseObject, (string?)bodies[2]["previous_response_id"]);
        Assert.Equal(["by the server"], bodies[2]["input"]!.AsArray().Select(i => (string?)i!["content"]![0]!["text"]));
    }

    [Fact]
    public void Server_state_needs_the_Responses_API_and_a_response_of_it()
    {
        var store = Ps.Invoke("Send-LlmMessage 'hi' -Store");
        var chatAnswer = Ps.Invoke("Send-LlmMessage 'hi' | Send-LlmMessage 'next' -Api Responses -UseServerState");

        Assert.Contains("belong to the Responses API", store.AllText());
        Assert.Contains("-UseServerState continues a response of the Responses API", chatAnswer.AllText());
        Assert.Equal(0, Server.CountOf(LlmRoute.Responses));
    }

    [Fact]
    public void API_in_config_ini_picks_the_wire_and_a_bad_value_names_file_key_and_value()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nAPI=Responses\n");
        var sent = Ps.Invoke("Send-LlmMessage 'hi'; Get-LlmConfig API");
        File.WriteAllText(Ps.ConfigPath, File.ReadAllText(Ps.ConfigPath).Replace("API=Responses", "API=Fax", StringComparison.Ordinal));
        var bad = Ps.Invoke("Send-LlmMessage 'hi'");

        Assert.Equal(1, Server.CountOf(LlmRoute.Responses));
        var row = sent.Output[1];
        Assert.Equal(("API", "Responses"), ((string)row.Properties["Name"].Value, (string)row.Properties["Value"].Value));
        Assert.Contains(Ps.ConfigPath, (string)row.Properties["Source"].Value);
        var text = bad.Terminating?.Message + bad.AllText();
        Assert.Contains("API", text);
        Assert.Contains("Fax", text);
        Assert.Contains(Ps.ConfigPath, text);
    }

    [Fact]
    public void Azure_v1_serves_the_same_body_and_the_deployment_style_says_to_use_it()
    {
        var v1 = Ps.Invoke("Send-LlmMessage 'hi' -Api Responses -Provider Azure -Endpoint ($Server.BaseUri.AbsoluteUri + 'openai/v1/') -ApiKey $Key -Model my-deployment");
        var deployments = Ps.Invoke("Send-LlmMessage 'hi' -Api Responses -Provider Azure -Endpoint $Server.AzureEndpoint -ApiKey $Key -Model my-deployment");

        Assert.Empty(v1.Errors);
        var request = Server.Requests.Single();
        Assert.Equal("/openai/v1/responses", request.Path);
        Assert.Equal(Key, request.Header("api-key"));
        Assert.Equal("my-deployment", (string?)request.Json!["model"]);
        Assert.Contains("needs Azure OpenAI's v1 endpoint", deployments.Terminating?.Message + deployments.AllText());
        Assert.Single(Server.Requests);
    }

    [Fact]
    public void A_server_without_the_route_gets_an_error_naming_it()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi' -Api Responses -Endpoint ($Server.BaseUri.AbsoluteUri + 'compat/v1/')");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ModelNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("has no Responses API (POST", error.Exception.Message);
        Assert.Contains("/compat/v1/responses answered 404", error.Exception.Message);
        Assert.Contains("-Api ChatCompletions", error.Exception.Message);
        Assert.Single(Server.Requests); // a 404 is not retried
    }

    [Fact]
    public void Controls_the_Responses_API_lacks_stop_the_command_before_any_request()
    {
        var result = Ps.Invoke("'a', 'b' | Send-LlmMessage -Api Responses -Stop END -Seed 3");

        Assert.Contains("The Responses API has no -Stop, -Seed", result.Terminating?.Message + result.AllText());
        Assert.Empty(Server.Requests);
    }

    private List<JsonNode> Bodies() => Server.Requests.Where(r => r.Route == LlmRoute.Responses).Select(r => r.Json!).ToList();

    [Fact]
    public void Server_state_keeps_the_conversations_instructions_which_the_API_does_not_carry_over()
    {
        var result = Ps.Invoke("""
            $first = Send-LlmMessage 'first question' -Api Responses -Store -SystemPrompt 'Answer in French.'
            $first | Send-LlmMessage 'next' -Api Responses -Store -UseServerState | Send-LlmMessage 'and then' -Api Responses -UseServerState | Out-Null
            """);

        Assert.Empty(result.Errors);
        Assert.All(Bodies(), body => Assert.Equal("Answer in French.", (string?)body["instructions"]));
        Assert.All(Bodies().Skip(1), body => Assert.Single(body["input"]!.AsArray())); // only the new message: the server holds the rest
    }

    [Fact]
    public void Server_state_counts_the_stored_conversation_in_holds_and_estimates()
    {
        Ps.SetVariable("Long", string.Join(' ', Enumerable.Repeat("word", 3000)));
        Ps.Invoke("$global:first = Send-LlmMessage $Long -Api Responses -Store -MaxTokens 50");

        var estimate = Ps.Invoke("($first | Send-LlmMessage 'next' -Api Responses -MaxTokens 50 -UseServerState -WhatIf).PromptTokens");
        var capped = Ps.Invoke("$first | Send-LlmMessage 'next' -Api Responses -MaxTokens 50 -TokenBudget 1000 -UseServerState");

        Assert.True((int)estimate.Output.Single().BaseObject > 3000, $"{string.Join(", ", estimate.Output)} prompt tokens");
        Assert.Contains(capped.Errors, e => e.FullyQualifiedErrorId.StartsWith("BudgetExceeded", StringComparison.Ordinal));
        Assert.Equal(1, Server.CountOf(LlmRoute.Responses));
    }

    [Fact]
    public void A_stored_call_is_never_answered_by_an_unstored_ones_cache_entry_and_an_unstored_one_is_not_continued()
    {
        Ps.Invoke("Send-LlmMessage 'same q' -Api Responses -Cache | Out-Null");
        var stored = Ps.Invoke("Send-LlmMessage 'same q' -Api Responses -Store -Cache");
        var unstored = Ps.Invoke("Send-LlmMessage 'q' -Api Responses | Send-LlmMessage 'next' -Api Responses -UseServerState");

        Assert.False((bool)stored.Output.Single().Properties["Cached"].Value);
        Assert.Contains("was not stored", unstored.Errors.Single().Exception.Message);
        Assert.Equal(3, Server.CountOf(LlmRoute.Responses));
    }

    [Fact]
    public void An_unknown_Azure_deployment_is_not_called_a_missing_route()
    {
        Server.EnqueueFault(Fault.Raw(404, """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""") with { Route = LlmRoute.Responses });

        var result = Ps.Invoke("Send-LlmMessage 'hi' -Api Responses -Provider Azure -Endpoint ($Server.BaseUri.AbsoluteUri + 'openai/v1/') -ApiKey $Key -Model my-deploymnt");

        var error = Assert.Single(result.Errors);
        Assert.DoesNotContain("has no Responses API", error.Exception.Message);
        Assert.Contains("deployment", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-Stream")]
    public void A_response_failed_for_its_own_input_is_not_retried(string stream)
    {
        const string FailedBody = """{"id":"resp_f","object":"response","created_at":1,"status":"failed","model":"gpt-4o-mini","output":[],"error":{"code":"invalid_image","message":"The image could not be read."},"usage":{"input_tokens":8,"output_tokens":0,"total_tokens":8}}""";
        for (var i = 0; i < 5; i++)
        {
            Server.EnqueueFault((stream.Length == 0
                ? Fault.Raw(200, FailedBody)
                : Fault.Stream(false, """{"type":"response.failed","sequence_number":1,"response":""" + FailedBody + "}")) with { Route = LlmRoute.Responses });
        }

        var result = Ps.Invoke($"Send-LlmMessage 'hi' -Api Responses {stream}");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("BadRequest", error.FullyQualifiedErrorId);
        Assert.Contains("The image could not be read", error.Exception.Message);
        Assert.Equal(1, Server.CountOf(LlmRoute.Responses));
    }

    [Fact]
    public void Server_state_parameters_without_the_Responses_API_stop_the_command_once()
    {
        var result = Ps.Invoke("'a', 'b', 'c' | Send-LlmMessage -Store");

        // a statement-terminating error of a script lands in its error stream, once
        Assert.Contains("belong to the Responses API", Assert.Single(result.Errors).Exception.Message);
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_failure_code_that_may_pass_is_retried_and_new_instructions_win_over_the_stored_ones()
    {
        Server.EnqueueFault(Fault.Raw(200, """{"id":"resp_f","object":"response","created_at":1,"status":"failed","model":"gpt-4o-mini","output":[],"error":{"code":"internal_error","message":"Temporary overload."}}""") with { Route = LlmRoute.Responses });

        var result = Ps.Invoke("""
            $first = Send-LlmMessage 'q' -Api Responses -Store -SystemPrompt 'Be brief.'
            $first | Send-LlmMessage 'next' -Api Responses -UseServerState -SystemPrompt 'Answer in German.' | Out-Null
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(3, Server.CountOf(LlmRoute.Responses)); // the failed attempt, its retry, and the next turn
        Assert.Equal("Answer in German.", (string?)Bodies()[^1]["instructions"]);
    }

    [Fact]
    public void A_servers_unknown_model_error_is_not_called_a_missing_route()
    {
        // vLLM's answer for an unknown model: an error object with a number for its code
        Server.EnqueueFault(Fault.Raw(404, """{"object":"error","message":"The model `my-modle` does not exist.","type":"NotFoundError","param":null,"code":404}""") with { Route = LlmRoute.Responses });

        var result = Ps.Invoke("Send-LlmMessage 'hi' -Api Responses -Model my-modle");

        Assert.DoesNotContain("has no Responses API", Assert.Single(result.Errors).Exception.Message);
    }
}

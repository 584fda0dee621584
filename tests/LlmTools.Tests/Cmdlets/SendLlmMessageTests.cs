using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class SendLlmMessageTests : LlmTestContext
{
    [Fact]
    public void A_prompt_gets_a_typed_response_over_the_OpenAI_wire_format()
    {
        var result = Ps.Invoke("Send-LlmMessage 'What is the capital of France?' -ApiKey $Key -SystemPrompt 'Be brief.'");

        Assert.Empty(result.Errors);
        var response = Assert.Single(result.Output);
        Assert.Equal("Echo: What is the capital of France?", response.ToString());
        Assert.Equal("gpt-4o-mini", response.Properties["Model"].Value);
        Assert.Equal("OpenAI", response.Properties["Provider"].Value);
        Assert.Equal("stop", response.Properties["FinishReason"].Value);
        Assert.Equal(false, response.Properties["Cached"].Value);
        Assert.True((int)response.Properties["TotalTokens"].Value > 0);
        Assert.Equal(3, ((System.Collections.ICollection)response.Properties["Messages"].Value).Count);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
        Assert.Equal("system", (string?)request.Json!["messages"]![0]!["role"]);
    }

    [Fact]
    public void Pipeline_strings_get_one_response_each_in_order()
    {
        var result = Ps.Invoke("'one', 'two', 'three' | Send-LlmMessage -ApiKey $Key");

        Assert.Equal(["Echo: one", "Echo: two", "Echo: three"], result.Output.Select(o => o.ToString()));
        Assert.Equal(["one", "two", "three"], result.Output.Select(o => o.Properties["InputObject"].Value));
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void ThrottleLimit_runs_requests_concurrently_and_keeps_input_order()
    {
        // The first request is held until four are in flight at once: it can only finish if -ThrottleLimit 4
        // really sends four together, and it finishes after the three behind it.
        var fourArrived = new ManualResetEventSlim();
        Server.ChatReply = request =>
        {
            if (Server.CountOf(LlmRoute.Chat) >= 4)
            {
                fourArrived.Set();
            }

            var prompt = (string)request.Json!["messages"]!.AsArray()[^1]!["content"]!;
            if (prompt == "p1")
            {
                fourArrived.Wait(TimeSpan.FromSeconds(10));
            }

            return "A:" + prompt;
        };

        var result = Ps.Invoke("1..8 | ForEach-Object { \"p$_\" } | Send-LlmMessage -ApiKey $Key -ThrottleLimit 4");

        Assert.Empty(result.Errors);
        Assert.True(fourArrived.IsSet, "four requests were never in flight together");
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"A:p{i}"), result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Azure_route_uses_deployment_api_version_and_api_key_header()
    {
        var result = Ps.Invoke(
            "Send-LlmMessage 'hi' -Provider Azure -Endpoint $args[0] -Model my-gpt4o -ApiKey $Key; " +
            "Send-LlmMessage 'hi again' -Provider Azure -Endpoint $args[0] -Model my-gpt4o -ApiKey $Key -ApiVersion 2023-05-15",
            Server.AzureEndpoint);

        Assert.Empty(result.Errors);
        Assert.Equal("Azure", result.Output[0].Properties["Provider"].Value);
        Assert.Equal("my-gpt4o", result.Output[0].Properties["Model"].Value);
        var requests = Server.Requests;
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions", requests[0].Path);
        Assert.Equal("2024-10-21", requests[0].QueryValue("api-version"));
        Assert.Equal("2023-05-15", requests[1].QueryValue("api-version"));
        Assert.Equal(Key, requests[0].Header("api-key"));
        Assert.Null(requests[0].Header("Authorization"));
    }

    [Fact]
    public void Templates_fill_from_piped_objects_and_a_missing_placeholder_fails_only_that_item()
    {
        var result = Ps.Invoke("""
            [pscustomobject]@{ Id = 1; Title = 'Printer broken' },
            [pscustomobject]@{ Id = 2 },
            [pscustomobject]@{ Id = 3; Title = 'VPN down' } |
                Send-LlmMessage -Template 'Classify ticket {{Id}} for {{Team}}: {{Title}}' -Variables @{ Team = 'ops' } -ApiKey $Key
            """);

        Assert.Equal(["Echo: Classify ticket 1 for ops: Printer broken", "Echo: Classify ticket 3 for ops: VPN down"], result.Output.Select(o => o.ToString()));
        Assert.Equal(3, ((System.Management.Automation.PSObject)result.Output[1].Properties["InputObject"].Value).Properties["Id"].Value);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("TemplateVariableMissing,", error.FullyQualifiedErrorId);
        Assert.Contains("{{Title}}", error.Exception.Message);
        Assert.Equal(2, ((System.Management.Automation.PSObject)error.TargetObject).Properties["Id"].Value);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Objects_with_a_Prompt_property_bind_and_come_back_whole()
    {
        var result = Ps.Invoke("[pscustomobject]@{ Id = 1; Prompt = 'first' }, [pscustomobject]@{ Id = 2; Prompt = 'second' } | Send-LlmMessage -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Equal(["Echo: first", "Echo: second"], result.Output.Select(o => o.ToString()));
        Assert.Equal([1, 2], result.Output.Select(o => ((System.Management.Automation.PSObject)o.Properties["InputObject"].Value).Properties["Id"].Value));
    }

    [Fact]
    public void A_piped_response_continues_its_conversation()
    {
        var result = Ps.Invoke("$first = Send-LlmMessage 'hi' -ApiKey $Key; $first | Send-LlmMessage 'and more' -ApiKey $Key");

        var messages = Server.Requests[1].Json!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => (string)m!["role"]!));
        Assert.Equal("Echo: hi", (string)messages[1]!["content"]!);
        Assert.Equal("Echo: and more", result.Output.Single().ToString());
    }

    [Fact]
    public void A_piped_response_without_a_next_prompt_is_a_clear_error()
    {
        var result = Ps.Invoke("$first = Send-LlmMessage 'hi' -ApiKey $Key; $first | Send-LlmMessage -ApiKey $Key; Send-LlmMessage 'go on' -Conversation $first -ApiKey $Key");

        Assert.StartsWith("InvalidInput,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
        Assert.Equal(3, Server.Requests[1].Json!["messages"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("@{ content = 'hi' }", "role")]
    [InlineData("@{ role = 'robot'; content = 'hi' }", "robot")]
    [InlineData("@{ role = 'user' }", "no content")]
    public void A_bad_message_gets_the_same_error_id_from_every_cmdlet(string message, string named)
    {
        var result = Ps.Invoke($"Send-LlmMessage -ApiKey $Key -Messages {message}; Measure-LlmTokens -Model gpt-4o -Messages {message}");

        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidMessage,", e.FullyQualifiedErrorId));
        Assert.All(result.Errors, e => Assert.Contains(named, e.Exception.Message));
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Messages_take_hashtables_and_objects()
    {
        var result = Ps.Invoke("""
            Send-LlmMessage -ApiKey $Key -Messages @(
                @{ role = 'system'; content = 'You are terse.' }
                [pscustomobject]@{ Role = 'user'; Content = 'Name a colour' })
            """);

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: Name a colour", result.Output.Single().ToString());
        Assert.Equal(2, Server.Requests[0].Json!["messages"]!.AsArray().Count);
    }

    [Fact]
    public void Generation_parameters_reach_the_wire_with_the_right_max_tokens_name()
    {
        Ps.Invoke("Send-LlmMessage 'a' -ApiKey $Key -MaxTokens 50 -Temperature 0.5 -TopP 0.9 -Seed 7 -Stop 'END'; Send-LlmMessage 'b' -ApiKey $Key -Model o3-mini -MaxTokens 60");

        var classic = Server.Requests[0].Json!;
        var reasoning = Server.Requests[1].Json!;
        Assert.Equal(50, (int)classic["max_tokens"]!);
        Assert.Null(classic["max_completion_tokens"]);
        Assert.Equal(0.5, (double)classic["temperature"]!, 3);
        Assert.Equal(7, (long)classic["seed"]!);
        Assert.Equal("END", (string)classic["stop"]![0]!);
        Assert.Equal(60, (int)reasoning["max_completion_tokens"]!);
        Assert.Null(reasoning["max_tokens"]);
    }

    [Fact]
    public void Config_defaults_are_sent_and_parameters_override_them()
    {
        File.AppendAllText(Ps.ConfigPath, "[OpenAI]\nTEMPERATURE=0.2\nMAX_TOKENS=123\n");

        Ps.Invoke("Send-LlmMessage 'a' -ApiKey $Key; Send-LlmMessage 'b' -ApiKey $Key -Temperature 1.5");

        Assert.Equal(0.2, (double)Server.Requests[0].Json!["temperature"]!, 3);
        Assert.Equal(123, (int)Server.Requests[0].Json!["max_tokens"]!);
        Assert.Equal(1.5, (double)Server.Requests[1].Json!["temperature"]!, 3);
    }

    [Fact]
    public void JsonSchema_requests_structured_output_and_Data_holds_objects()
    {
        var result = Ps.Invoke("""
            Send-LlmMessage 'Who is Ada?' -ApiKey $Key -JsonSchema @{
                type = 'object'
                properties = @{ name = @{ type = 'string' }; born = @{ type = 'integer' } }
                required = @('name', 'born')
                additionalProperties = $false
            } | ForEach-Object { $_.Data.name; $_.Data.born }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["text", "42"], result.Output.Select(o => o.ToString()));
        var format = Server.Requests[0].Json!["response_format"]!;
        Assert.Equal("json_schema", (string)format["type"]!);
        Assert.Equal("object", (string)format["json_schema"]!["schema"]!["type"]!);
    }

    [Fact]
    public void Json_switch_asks_for_a_json_object()
    {
        var result = Ps.Invoke("(Send-LlmMessage 'Reply in JSON' -ApiKey $Key -Json).Data.answer");

        Assert.Equal("Echo: Reply in JSON", result.Output.Single().ToString());
        Assert.Equal("json_object", (string)Server.Requests[0].Json!["response_format"]!["type"]!);
    }

    [Fact]
    public void An_empty_prompt_is_an_error_for_that_item_only()
    {
        var result = Ps.Invoke("'first', '', 'third' | Send-LlmMessage -ApiKey $Key");

        Assert.Equal(2, result.Output.Count);
        Assert.StartsWith("InvalidInput,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_compatible_server_needs_no_key_and_gets_no_authorization_header()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi'");

        Assert.Empty(result.Errors);
        Assert.Null(Server.Requests[0].Header("Authorization"));
    }

    [Fact]
    public void The_session_reuses_its_client()
    {
        var result = Ps.InvokeVerbose("Send-LlmMessage 'a' -ApiKey $Key; Send-LlmMessage 'b' -ApiKey $Key");

        var lines = result.Verbose.Select(v => v.Message).ToList();
        Assert.Contains(lines, l => l.StartsWith("Created OpenAI client", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Reusing OpenAI client", StringComparison.Ordinal));
    }
}

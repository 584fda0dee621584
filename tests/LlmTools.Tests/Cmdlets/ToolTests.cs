using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Tool calling against a loopback server scripted to ask for calls, with the request shapes of the OpenAI Chat
/// Completions reference: tools[] of {type: function, function: {name, description, parameters, strict}},
/// tool_choice, the assistant message's tool_calls[] of {id, type: function, function: {name, arguments}}, and tool
/// messages {role: tool, tool_call_id, content}.
/// </summary>
public sealed class ToolTests : LlmTestContext
{
    // A read-only function with help, a ValidateSet and a ValidateRange: what the schema is built from.
    private const string WeatherTool = """
        function Get-Weather {
            <#
            .SYNOPSIS
            Gets today's weather for a city.
            .PARAMETER City
            The city to look up.
            .PARAMETER Unit
            Celsius or Fahrenheit.
            #>
            param(
                [Parameter(Mandatory)][string]$City,
                [ValidateSet('C', 'F')][string]$Unit = 'C',
                [ValidateRange(1, 7)][int]$Days = 1)
            $global:ToolRuns += @("$City/$Unit/$Days")
            "Sunny in $City, 21 $Unit"
        }
        $global:ToolRuns = @()
        """;

    /// <summary>Asks for <paramref name="call"/> until the request holds a tool result, then answers with the results.</summary>
    private void CallOnceThenAnswer(params (string Name, string Arguments)[] call) =>
        Server.ChatScript = request => ChatTurn.ToolResults(request) is { Count: > 0 } results
            ? ChatTurn.Say("Done: " + string.Join(" | ", results.Select(r => r.Content)))
            : new ChatTurn(null, call);

    private List<JsonNode> ChatBodies() => Server.Requests.Where(r => r.Route == LlmRoute.Chat).Select(r => r.Json!).ToList();

    [Fact]
    public void A_tool_call_runs_the_command_and_sends_its_output_back()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris","Unit":"F"}"""));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather in Paris?' -Tool (Get-Command Get-Weather) -ToolChoice auto");

        Assert.Empty(result.Errors);
        var response = result.Output.Single();
        Assert.Equal("Done: Sunny in Paris, 21 F", response.Properties["Content"].Value);
        var call = ((System.Collections.IEnumerable)response.Properties["ToolCalls"].Value).Cast<object>().Select(o => (dynamic)o).Single();
        Assert.Equal("Get-Weather", (string)call.Name);
        Assert.Equal("Succeeded", (string)call.Status);
        Assert.Equal("Sunny in Paris, 21 F", (string)call.Result);
        Assert.Equal("Paris/F/1", Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject); // ran once, defaults applied

        var bodies = ChatBodies();
        Assert.Equal(2, bodies.Count);
        var tool = bodies[0]["tools"]![0]!;
        Assert.Equal("function", (string?)tool["type"]);
        Assert.Equal("Get-Weather", (string?)tool["function"]!["name"]);
        Assert.Equal("Gets today's weather for a city.", (string?)tool["function"]!["description"]);
        Assert.True((bool?)tool["function"]!["strict"]);
        var parameters = tool["function"]!["parameters"]!;
        Assert.Equal("object", (string?)parameters["type"]);
        Assert.False((bool?)parameters["additionalProperties"]);
        Assert.Equal("The city to look up.", (string?)parameters["properties"]!["City"]!["description"]);
        Assert.Equal("""["C","F",null]""", parameters["properties"]!["Unit"]!["enum"]!.ToJsonString()); // strict: optional means nullable
        Assert.Equal(1, (double?)parameters["properties"]!["Days"]!["minimum"]);
        Assert.Equal(7, (double?)parameters["properties"]!["Days"]!["maximum"]);
        Assert.Equal("""["City","Unit","Days"]""", parameters["required"]!.ToJsonString());
        Assert.Equal("auto", (string?)bodies[0]["tool_choice"]);

        // the second turn carries the assistant's call and the tool's answer to it
        var messages = bodies[1]["messages"]!.AsArray();
        var assistant = messages[^2]!;
        Assert.Equal("assistant", (string?)assistant["role"]);
        var callId = (string?)assistant["tool_calls"]![0]!["id"];
        Assert.Equal("Get-Weather", (string?)assistant["tool_calls"]![0]!["function"]!["name"]);
        Assert.Equal("tool", (string?)messages[^1]!["role"]);
        Assert.Equal(callId, (string?)messages[^1]!["tool_call_id"]);
        Assert.Equal("Sunny in Paris, 21 F", (string?)messages[^1]!["content"]);
    }

    private static List<dynamic> Calls(System.Management.Automation.PSObject response) =>
        ((System.Collections.IEnumerable)response.Properties["ToolCalls"].Value).Cast<object>().Select(o => (dynamic)o).ToList();

    [Fact]
    public void Several_calls_of_one_turn_run_in_order_and_each_answer_names_its_call()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Oslo"}"""), ("Get-Weather", """{"City":"Rome"}"""));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Oslo or Rome?' -Tool (Get-Command Get-Weather)");

        Assert.Empty(result.Errors);
        Assert.Equal("Oslo/C/1,Rome/C/1", Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
        var messages = ChatBodies()[1]["messages"]!.AsArray();
        var ids = messages[^3]!["tool_calls"]!.AsArray().Select(c => (string?)c!["id"]).ToList();
        Assert.Equal(ids, messages.Skip(messages.Count - 2).Select(m => (string?)m!["tool_call_id"]).ToList());
        Assert.Equal("Done: Sunny in Oslo, 21 C | Sunny in Rome, 21 C", result.Output[0].Properties["Content"].Value);
        Assert.Equal(2, Calls(result.Output[0]).Count);
    }

    [Fact]
    public void A_failing_tool_tells_the_model_and_not_the_user()
    {
        CallOnceThenAnswer(("Get-Broken", "{}"));

        var result = Ps.Invoke("function Get-Broken { param() throw 'disk on fire' }; Send-LlmMessage 'go' -Tool (Get-Command Get-Broken)");

        Assert.Empty(result.Errors);
        var call = Calls(result.Output.Single()).Single();
        Assert.Equal("Failed", (string)call.Status);
        Assert.Contains("disk on fire", (string)call.Result);
        Assert.Contains("disk on fire", (string?)ChatBodies()[1]["messages"]!.AsArray()[^1]!["content"]);
    }

    [Fact]
    public void A_call_with_bad_arguments_or_an_unknown_tool_is_answered_as_an_error()
    {
        CallOnceThenAnswer(("Get-Weather", """{"Town":"Paris"}"""), ("Get-Nothing", "{}"), ("Get-Weather", "not json"));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'go' -Tool (Get-Command Get-Weather)");

        Assert.Empty(result.Errors);
        var calls = Calls(result.Output.Single());
        Assert.All(calls, call => Assert.Equal("Failed", (string)call.Status));
        Assert.Contains("Town", (string)calls[0].Result); // PowerShell's own binding error: no parameter 'Town'
        Assert.Contains("no tool named 'Get-Nothing'", (string)calls[1].Result);
        Assert.Contains("not a JSON object", (string)calls[2].Result);
        Assert.Equal(string.Empty, Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
    }

    [Fact]
    public void The_loop_stops_at_MaxToolCalls_and_the_calls_left_are_not_run()
    {
        Server.ChatScript = _ => ChatTurn.Call("Get-Weather", """{"City":"Paris"}"""); // a model that never stops calling

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'loop' -Tool (Get-Command Get-Weather) -MaxToolCalls 2 -Cache");

        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
        Assert.Equal("Paris/C/1,Paris/C/1", Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
        var response = result.Output.Single();
        Assert.Equal("tool_calls", response.Properties["FinishReason"].Value);
        Assert.Equal(["Succeeded", "Succeeded", "NotRun"], Calls(response).Select(c => (string)c.Status).ToArray());
        Assert.Contains(result.Warnings, w => w.Message.Contains("-MaxToolCalls"));

        // a cut loop is not an answer: it is not cached
        Ps.Invoke("Send-LlmMessage 'loop' -Tool (Get-Command Get-Weather) -MaxToolCalls 2 -Cache | Out-Null");
        Assert.Equal(6, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_state_changing_command_is_not_run_where_no_one_can_confirm_it_unless_allowed()
    {
        CallOnceThenAnswer(("Stop-Thing", """{"Name":"web"}"""));
        const string StopThing = "function Stop-Thing { param([string]$Name) $global:Stopped += @($Name) }; $global:Stopped = @(); ";

        var denied = Ps.Invoke(StopThing + "Send-LlmMessage 'stop web' -Tool (Get-Command Stop-Thing)");

        Assert.Equal(0, (int)Ps.Invoke("$global:Stopped.Count").Output[0].BaseObject);
        Assert.Equal("Denied", (string)Calls(denied.Output.Single()).Single().Status);
        Assert.Contains(denied.Warnings, w => w.Message.Contains("Stop-Thing -Name 'web'") && w.Message.Contains("-AllowStateChange"));
        Assert.Contains("did not approve", (string?)ChatBodies()[1]["messages"]!.AsArray()[^1]!["content"]);

        var allowed = Ps.Invoke("Send-LlmMessage 'stop web again' -Tool (Get-Command Stop-Thing) -AllowStateChange");

        Assert.Equal("Succeeded", (string)Calls(allowed.Output.Single()).Single().Status);
        Assert.Equal("web", Ps.Invoke("$global:Stopped -join ','").Output[0].BaseObject);
    }

    [Fact]
    public void WhatIf_sends_nothing_and_runs_no_tool()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -WhatIf");

        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
        Assert.Equal(string.Empty, Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
        Assert.Equal("LlmCostEstimate", result.Output.Single().BaseObject.GetType().Name);
    }

    [Fact]
    public void A_cached_answer_keeps_its_tool_calls_and_never_runs_a_tool_again()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));

        Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -Cache | Out-Null");
        var again = Ps.Invoke("Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -Cache");

        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
        Assert.Equal("Paris/C/1", Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
        var response = again.Output.Single();
        Assert.True((bool)response.Properties["Cached"].Value);
        Assert.Equal("Sunny in Paris, 21 C", (string)Calls(response).Single().Result);

        // the tools are in the key: the same prompt without them is another question
        Ps.Invoke("Send-LlmMessage 'Weather?' -Cache | Out-Null");
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_streamed_answer_runs_its_tool_calls_put_together_from_pieces()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Buenos Aires","Unit":"C","Days":3}"""));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -Stream");

        Assert.Empty(result.Errors);
        Assert.Equal("Buenos Aires/C/3", Ps.Invoke("$global:ToolRuns -join ','").Output[0].BaseObject);
        Assert.Equal("Done: Sunny in Buenos Aires, 21 C", result.Output.Single().Properties["Content"].Value);
        Assert.All(ChatBodies(), body => Assert.True((bool?)body["stream"]));
    }

    [Fact]
    public void Piping_the_response_back_continues_the_conversation_with_its_tool_turns()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));

        Ps.Invoke(WeatherTool + "; $r = Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather)");
        Server.ChatScript = null;
        var next = Ps.Invoke("$r | Send-LlmMessage 'And tomorrow?'");

        Assert.Empty(next.Errors);
        var messages = ChatBodies()[^1]["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool", "assistant", "user"], messages.Select(m => (string)m!["role"]!).ToArray());
        Assert.Equal("Get-Weather", (string?)messages[1]!["tool_calls"]![0]!["function"]!["name"]);
        Assert.Equal((string?)messages[1]!["tool_calls"]![0]!["id"], (string?)messages[2]!["tool_call_id"]);
    }

    [Fact]
    public void Concurrent_prompts_run_their_tools_on_the_pipeline_thread_and_keep_input_order()
    {
        Server.ChatScript = request => ChatTurn.ToolResults(request) is { Count: > 0 } results
            ? ChatTurn.Say("Done: " + results[0].Content)
            : ChatTurn.Call("Get-Weather", "{\"City\":\"" + LastUser(request) + "\"}");

        var result = Ps.Invoke(WeatherTool + "; 'A','B','C','D','E','F' | Send-LlmMessage -Tool (Get-Command Get-Weather) -ThrottleLimit 4");

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["in A,", "in B,", "in C,", "in D,", "in E,", "in F,"],
            result.Output.Select(o => ((string)o.Properties["Content"].Value).Substring("Done: Sunny ".Length, 5)).ToArray());
        Assert.Equal(6, (int)Ps.Invoke("$global:ToolRuns.Count").Output[0].BaseObject);
    }

    [Fact]
    public void Objects_reach_the_model_as_JSON_and_long_output_is_cut()
    {
        CallOnceThenAnswer(("Get-Disk-Info", "{}"), ("Get-Long", "{}"));

        Ps.Invoke("""
            function Get-Disk-Info { param() [pscustomobject]@{ Name = 'sda'; SizeGB = 512; Parts = @(1, 2) } }
            function Get-Long { param() 'x' * 50000 }
            Send-LlmMessage 'go' -Tool (Get-Command Get-Disk-Info), (Get-Command Get-Long) | Out-Null
            """);

        var tools = ChatBodies()[1]["messages"]!.AsArray().Where(m => (string?)m!["role"] == "tool").Select(m => (string)m!["content"]!).ToList();
        var disk = JsonNode.Parse(tools[0])!;
        Assert.Equal("sda", (string?)disk["Name"]);
        Assert.Equal(512, (int?)disk["SizeGB"]);
        Assert.Equal("[1,2]", disk["Parts"]!.ToJsonString());
        Assert.True(tools[1].Length < 20_100, $"{tools[1].Length} characters");
        Assert.EndsWith("[cut: 30,000 more characters]", tools[1]);
    }

    [Fact]
    public void Ctrl_C_during_a_tool_call_stops_the_command_and_sends_nothing_more()
    {
        CallOnceThenAnswer(("Get-Slow", "{}"));
        var marker = Path.Combine(Ps.WorkingDirectory, "tool-started");

        using var ps = System.Management.Automation.PowerShell.Create(Ps.Runspace);
        ps.AddScript($"function Get-Slow {{ param() [IO.File]::WriteAllText('{marker}', 'x'); while ($true) {{ [Threading.Thread]::Sleep(20) }} }}; Send-LlmMessage 'go' -Tool (Get-Command Get-Slow)");
        var running = ps.BeginInvoke();
        SpinWait.SpinUntil(() => File.Exists(marker) || running.IsCompleted, TimeSpan.FromSeconds(60));
        Assert.True(File.Exists(marker), "the tool never started");

        ps.Stop(); // what Ctrl+C does

        Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat)); // the tool's answer was never sent
    }

    [Fact]
    public void Each_turn_is_held_in_the_budget_and_counted_in_the_usage()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));

        var result = Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -MaxTokens 50 | Out-Null; Get-LlmUsage");

        var usage = result.Output.Single();
        Assert.Equal(2, Convert.ToInt32(usage.Properties["Requests"].Value));

        // a budget that the first turn fits and the second does not: the item fails at the second turn, nothing crosses
        var first = (int)Ps.Invoke("(Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -MaxTokens 50 -WhatIf).PromptTokens").Output[0].BaseObject;
        var capped = Ps.Invoke($"Send-LlmMessage 'Weather again?' -Tool (Get-Command Get-Weather) -MaxTokens 50 -TokenBudget {first + 60}");

        Assert.Equal("BudgetExceeded", capped.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_named_tool_choice_is_sent_as_the_function_to_call()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));

        Ps.Invoke(WeatherTool + "; Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather) -ToolChoice Get-Weather | Out-Null");

        Assert.Equal("""{"type":"function","function":{"name":"Get-Weather"}}""", ChatBodies()[0]["tool_choice"]!.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-Stream")]
    public void The_Responses_API_carries_tools_as_function_items(string stream)
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Lima"}"""));

        var result = Ps.Invoke(WeatherTool + $"; Send-LlmMessage 'Weather in Lima?' -Api Responses -Tool (Get-Command Get-Weather) -ToolChoice required {stream}");

        Assert.Empty(result.Errors);
        Assert.Equal("Done: Sunny in Lima, 21 C", result.Output.Single().Properties["Content"].Value);
        var bodies = Server.Requests.Where(r => r.Route == LlmRoute.Responses).Select(r => r.Json!).ToList();
        Assert.Equal(2, bodies.Count);

        // Responses API reference: function tools are flat {type, name, description, parameters, strict}
        var tool = bodies[0]["tools"]![0]!;
        Assert.Equal("function", (string?)tool["type"]);
        Assert.Equal("Get-Weather", (string?)tool["name"]);
        Assert.Equal("Gets today's weather for a city.", (string?)tool["description"]);
        Assert.Equal("object", (string?)tool["parameters"]!["type"]);
        Assert.Equal("required", (string?)bodies[0]["tool_choice"]);

        // the next turn sends the call back as a function_call item and its result as function_call_output
        var input = bodies[1]["input"]!.AsArray();
        var call = input.Single(i => (string?)i!["type"] == "function_call")!;
        var output = input.Single(i => (string?)i!["type"] == "function_call_output")!;
        Assert.Equal("Get-Weather", (string?)call["name"]);
        Assert.Equal((string?)call["call_id"], (string?)output["call_id"]);
        Assert.Equal("Sunny in Lima, 21 C", (string?)output["output"]);
    }

    [Fact]
    public void A_call_may_pass_only_the_parameters_its_schema_offers()
    {
        CallOnceThenAnswer(
            ("Get-Report", """{"Name":"q3","Purge":true}"""), ("Get-Report", """{"Name":"q3","Confirm":false}"""), ("Get-Report", """{"Name":"q3","conf":0}"""));

        var result = Ps.Invoke("""
            function Get-Report { [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Read')]
                param([Parameter(ParameterSetName = 'Read')][Parameter(ParameterSetName = 'Purge')][string]$Name, [Parameter(ParameterSetName = 'Purge')][switch]$Purge)
                if ($Purge) { $global:Purged = $true } }
            $global:Purged = $false
            Send-LlmMessage 'report q3' -Tool (Get-Command Get-Report)
            """);

        Assert.False((bool)Ps.Invoke("$global:Purged").Output[0].BaseObject);
        var calls = Calls(result.Output.Single());
        Assert.All(calls, call => Assert.Equal("Failed", (string)call.Status));
        Assert.Contains("has no parameter 'Purge'", (string)calls[0].Result); // another parameter set's, never offered
        Assert.Contains("has no parameter 'Confirm'", (string)calls[1].Result); // a common parameter
        Assert.Contains("has no parameter 'conf'", (string)calls[2].Result); // an abbreviation of -Confirm
    }

    [Fact]
    public void A_loop_with_a_denied_call_is_not_cached_so_approval_runs_it_next_time()
    {
        CallOnceThenAnswer(("Stop-Thing", """{"Name":"web"}"""));
        Ps.Invoke("function Stop-Thing { param([string]$Name) $global:Stopped += @($Name) }; $global:Stopped = @()");

        Ps.Invoke("Send-LlmMessage 'stop web' -Tool (Get-Command Stop-Thing) -Cache | Out-Null");
        var approved = Ps.Invoke("Send-LlmMessage 'stop web' -Tool (Get-Command Stop-Thing) -Cache -AllowStateChange");

        Assert.False((bool)approved.Output.Single().Properties["Cached"].Value);
        Assert.Equal("web", Ps.Invoke("$global:Stopped -join ','").Output[0].BaseObject);
    }

    [Fact]
    public void Schema_values_keep_their_types_and_a_definition_keeps_its_strict()
    {
        Server.ChatScript = _ => ChatTurn.Say("ok");

        Ps.Invoke("""
            function Set-Level { param([ValidateSet(1, 2, 3)][int]$Level) }
            $shout = @{ type = 'function'; function = @{ name = 'shout'; strict = $true
                parameters = @{ type = 'object'; properties = @{ text = @{ type = 'string' } }; required = @('text'); additionalProperties = $false } }
                ScriptBlock = { param([string]$text) $text } }
            $loose = @{ name = 'loose'; parameters = @{ type = 'object'; properties = @{ text = @{ type = 'string' } } }; ScriptBlock = { param([string]$text) $text } }
            Send-LlmMessage 'go' -Tool (Get-Command Set-Level), $shout, $loose | Out-Null
            Send-LlmMessage 'go' -Api Responses -Tool $loose | Out-Null
            """);

        var tools = ChatBodies()[0]["tools"]!.AsArray();
        Assert.Equal("[1,2,3,null]", tools[0]!["function"]!["parameters"]!["properties"]!["Level"]!["enum"]!.ToJsonString());
        Assert.True((bool?)tools[1]!["function"]!["strict"]);
        Assert.False((bool?)tools[2]!["function"]!["strict"]);
        // the Responses API takes a missing strict as true, which this schema (an optional property) would fail
        Assert.False((bool?)Server.Requests.Single(r => r.Route == LlmRoute.Responses).Json!["tools"]![0]!["strict"]);
    }

    [Fact]
    public void Every_object_a_tool_writes_reaches_the_model()
    {
        CallOnceThenAnswer(("Get-Items", "{}"));

        Ps.Invoke("""
            function Get-Items { param() [System.IO.DirectoryInfo]::new('/first'); [System.IO.DirectoryInfo]::new('/second'); [System.IO.DirectoryInfo]::new('/third'); [datetime]::new(2026, 2, 12, 8, 30, 0, [DateTimeKind]::Utc); [datetime]::MinValue }
            Send-LlmMessage 'go' -Tool (Get-Command Get-Items) | Out-Null
            """);

        var sent = (string)ChatBodies()[1]["messages"]!.AsArray()[^1]!["content"]!;
        Assert.Contains("first", sent);
        Assert.Contains("second", sent);
        Assert.Contains("third", sent);
        Assert.Contains("2026-02-12T08:30:00.0000000Z", sent); // a date the model cannot misread
        Assert.Contains("0001-01-01T00:00:00.0000000", sent); // no zone invented for a date without one (which could not shift past year 1)
    }

    [Fact]
    public void A_hand_written_or_restored_tool_exchange_is_sent_with_its_calls()
    {
        CallOnceThenAnswer(("Get-Weather", """{"City":"Paris"}"""));
        Ps.Invoke(WeatherTool + "; $global:r = Send-LlmMessage 'Weather?' -Tool (Get-Command Get-Weather)");
        Server.ChatScript = null;

        var result = Ps.Invoke("""
            Send-LlmMessage -Messages @(@{ role = 'user'; content = 'q' },
                @{ role = 'assistant'; content = $null; tool_calls = @(@{ id = 'x'; type = 'function'; function = @{ name = 'Get-Disk'; arguments = '{}' } }) },
                [pscustomobject]@{ role = 'tool'; tool_call_id = 'x'; content = 'y' }) | Out-Null
            # what Export-Clixml writes and Import-Clixml reads back
            $saved = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r, 5))
            $saved | Send-LlmMessage 'and tomorrow?' | Out-Null
            Send-LlmMessage -Messages @(@{ role = 'user'; content = 'q' }, @{ role = 'tool'; tool_call_id = 'nobody'; content = 'y' })
            """);

        var bodies = ChatBodies();
        Assert.Equal(4, bodies.Count);
        var written = bodies[^2]["messages"]!.AsArray();
        Assert.Equal("Get-Disk", (string?)written[1]!["tool_calls"]![0]!["function"]!["name"]);
        Assert.Equal("x", (string?)written[2]!["tool_call_id"]);
        var restored = bodies[^1]["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool", "assistant", "user"], restored.Select(m => (string)m!["role"]!).ToArray());
        Assert.Equal((string?)restored[1]!["tool_calls"]![0]!["id"], (string?)restored[2]!["tool_call_id"]);
        Assert.Contains("answers no call of an earlier assistant message", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void A_tools_warnings_and_host_writes_go_to_the_model_and_exit_is_its_failure()
    {
        CallOnceThenAnswer(("Get-Noisy", "{}"), ("Get-Exit", "{}"));

        var result = Ps.Invoke("""
            function Get-Noisy { [CmdletBinding()] param() $PSCmdlet.WriteWarning('disk almost full'); $PSCmdlet.WriteInformation('checked 3 disks', @('PSHOST')); [pscustomobject]@{ Host = 'web1'; Disk = 'sda'; When = [datetime]::new(2020, 1, 1) } }
            function Get-Exit { param() exit 3 }
            Send-LlmMessage 'go' -Tool (Get-Command Get-Noisy), (Get-Command Get-Exit)
            """);

        Assert.Empty(result.Warnings);
        var tools = ChatBodies()[1]["messages"]!.AsArray().Where(m => (string?)m!["role"] == "tool").Select(m => (string)m!["content"]!).ToList();
        Assert.Contains("Warning: disk almost full", tools[0]);
        Assert.Contains("checked 3 disks", tools[0]);
        Assert.Contains("""{"Host":"web1","Disk":"sda","When":"2020-01-01T00:00:00.0000000"}""", tools[0]); // in order, ISO dates
        Assert.Contains("called exit (3)", tools[1]);
        Assert.Equal("Failed", (string)Calls(result.Output.Single())[1].Status);
    }

    [Fact]
    public void Verbose_names_each_call_and_never_its_output()
    {
        CallOnceThenAnswer(("Get-Secret-Thing", "{}"));

        var result = Ps.InvokeVerbose("function Get-Secret-Thing { param() 'the-hidden-output' }; Send-LlmMessage 'go' -Tool (Get-Command Get-Secret-Thing), @{ add = { param([int]$A) $A } }");

        Assert.Contains(result.Verbose, v => v.Message.Contains("Tool call") && v.Message.Contains("Get-Secret-Thing"));
        Assert.DoesNotContain("the-hidden-output", string.Join("\n", result.Verbose.Select(v => v.Message)) + string.Join("\n", result.Warnings.Select(w => w.Message)));
    }

    [Fact]
    public void Script_blocks_and_explicit_definitions_are_tools_too()
    {
        CallOnceThenAnswer(("add", """{"A":2,"B":3}"""), ("shout", """{"text":"hi"}"""));

        var result = Ps.Invoke("""
            $shout = @{ type = 'function'; function = @{ name = 'shout'; description = 'Upper-cases text.'
                parameters = @{ type = 'object'; properties = @{ text = @{ type = 'string' } }; required = @('text') } }
                ScriptBlock = { param([string]$text) $text.ToUpper() } }
            Send-LlmMessage 'go' -Tool @{ add = { param([int]$A, [int]$B) $A + $B } }, $shout
            """);

        Assert.Empty(result.Errors);
        Assert.Equal("Done: 5 | HI", result.Output.Single().Properties["Content"].Value);
        var tools = ChatBodies()[0]["tools"]!.AsArray();
        Assert.Equal("integer", (string?)tools[0]!["function"]!["parameters"]!["properties"]!["A"]!["type"]![0]);
        Assert.Equal("Upper-cases text.", (string?)tools[1]!["function"]!["description"]);
        Assert.False((bool?)tools[1]!["function"]!["strict"]); // an explicit schema without a strict of its own is not strict
    }

    [Theory]
    [InlineData("-Tool (Get-Command ForEach-Object)", "which a model cannot pass")]
    [InlineData("-Tool 'No-SuchCommand'", "no command of that name")]
    [InlineData("-Tool { 'no param block' }", "needs a param() block")]
    [InlineData("-Tool @{ name = 'x'; parameters = @{ type = 'object' } }", "nothing to run it")]
    [InlineData("-Tool $(function Get-A { param() }; Get-Command Get-A) -ToolChoice Get-Other", "is not auto, none, required")]
    public void A_tool_that_cannot_be_offered_stops_the_command_before_anything_is_sent(string parameters, string says)
    {
        var result = Ps.Invoke($"'a', 'b' | Send-LlmMessage {parameters}");

        Assert.True(result.AllText().Contains(says), result.AllText());
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    private static string LastUser(RecordedRequest request) =>
        request.Json!["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!.ToString();
}

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
}

using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Tool calls and the person at the console: a state-changing command is asked about and a "No" keeps it from
/// running; -Confirm asks for the request and for each call. A host answers the prompts from a script.
/// </summary>
public sealed class ToolConfirmationTests : LlmTestContext
{
    private readonly ScriptedHost _host = new("No");

    protected override System.Management.Automation.Host.PSHost Host => _host;

    private const string Tools = """
        function Stop-Thing { param([string]$Name) $global:Ran += @("stop $Name") }
        function Get-Thing { param([string]$Name) $global:Ran += @("get $Name"); "thing $Name" }
        $global:Ran = @()

        """;

    [Fact]
    public void A_no_to_a_state_changing_call_keeps_it_from_running_and_tells_the_model()
    {
        Server.ChatScript = request => ChatTurn.ToolResults(request) is { Count: > 0 } results
            ? ChatTurn.Say("Done: " + results[0].Content)
            : ChatTurn.Call("Stop-Thing", """{"Name":"web"}""");

        var result = Ps.Invoke(Tools + "Send-LlmMessage 'stop web' -Tool (Get-Command Stop-Thing)");

        Assert.Empty(result.Errors);
        Assert.Equal(string.Empty, Ps.Invoke("$global:Ran -join ','").Output[0].BaseObject);
        Assert.True(_host.Prompts.Any(p => p.Contains("may change state") && p.Contains("Stop-Thing -Name 'web'")), result.AllText());
        Assert.StartsWith("Done: Not run", (string)result.Output.Single().Properties["Content"].Value);
    }

    [Fact]
    public void Confirm_asks_for_the_request_and_for_each_call()
    {
        Server.ChatScript = request => ChatTurn.ToolResults(request) is { Count: > 0 } results
            ? ChatTurn.Say("Done: " + string.Join(" | ", results.Select(r => r.Content)))
            : new ChatTurn(null, [("Get-Thing", """{"Name":"a"}"""), ("Get-Thing", """{"Name":"b"}""")]);

        var script = Tools + "Send-LlmMessage 'get a and b' -Tool (Get-Command Get-Thing) -Confirm";
        var host = new ScriptedHost("Yes", "Yes", "No");
        using var ps = new ModuleRunspace("[OpenAI]\nWAITING_TIME=0\nMODEL=gpt-4o-mini\n[LlmTools]\nENDPOINT=" + Server.OpenAIEndpoint + "\n", host);

        var result = ps.Invoke(script);

        Assert.Empty(result.Errors);
        Assert.Equal(3, host.Prompts.Count); // the request, then each call
        Assert.Equal("get a", ps.Invoke("$global:Ran -join ','").Output[0].BaseObject);
        Assert.Equal("Done: thing a | Not run: the user declined this call.", result.Output.Single().Properties["Content"].Value);
    }

    [Fact]
    public void A_host_that_fails_to_ask_is_a_no()
    {
        var host = new ScriptedHost("crash");
        using var ps = new ModuleRunspace("[OpenAI]\nWAITING_TIME=0\nMODEL=gpt-4o-mini\n[LlmTools]\nENDPOINT=" + Server.OpenAIEndpoint + "\n", host);
        Server.ChatScript = request => ChatTurn.ToolResults(request) is { Count: > 0 } results
            ? ChatTurn.Say("Done: " + results[0].Content)
            : ChatTurn.Call("Stop-Thing", """{"Name":"web"}""");

        var result = ps.Invoke(Tools + "Send-LlmMessage 'stop web' -Tool (Get-Command Stop-Thing)");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal(string.Empty, ps.Invoke("$global:Ran -join ','").Output[0].BaseObject);
        Assert.Contains(result.Warnings, w => w.Message.Contains("no one can confirm it here"));
    }
}

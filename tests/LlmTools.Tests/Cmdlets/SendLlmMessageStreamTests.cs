using System.Management.Automation;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class SendLlmMessageStreamTests : LlmTestContext
{
    [Fact]
    public void Stream_writes_text_as_it_arrives_and_outputs_one_response()
    {
        Server.ChatReply = _ => "The capital of France is Paris.";

        var result = Ps.Invoke("Send-LlmMessage 'capital?' -ApiKey $Key -Stream");

        Assert.Empty(result.Errors);
        var pieces = result.Information.Where(i => i.Tags.Contains("PSHOST")).Select(i => ((HostInformationMessage)i.MessageData).Message).ToList();
        Assert.True(pieces.Count > 3, "the text arrives in pieces");
        Assert.Equal("The capital of France is Paris.", string.Concat(pieces));
        var response = Assert.Single(result.Output);
        Assert.Equal("The capital of France is Paris.", response.ToString());
        Assert.Equal("stop", response.Properties["FinishReason"].Value);
        Assert.True((int)response.Properties["TotalTokens"].Value > 0, "usage is requested with the stream");
        Assert.Equal(true, (bool?)Server.Requests[0].Json!["stream"]);
    }

    [Fact]
    public void Stream_retries_before_the_first_chunk()
    {
        Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 0));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Stream");

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hi", result.Output.Single().ToString());
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Stream_works_against_Azure()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi there' -Provider Azure -Endpoint $args[0] -Model dep1 -ApiKey $Key -Stream", Server.AzureEndpoint);

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hi there", result.Output.Single().ToString());
        Assert.Equal("/openai/deployments/dep1/chat/completions", Server.Requests[0].Path);
    }

    [Fact]
    public void A_stream_that_keeps_talking_outlives_the_timeout_because_each_piece_restarts_it()
    {
        // why these numbers: the whole stream (30 x 150 ms) lasts more than twice the timeout, while each gap stays far
        // below it, with room for a busy CI machine
        Server.StreamChunkDelay = TimeSpan.FromMilliseconds(150);
        Server.ChatReply = _ => string.Join(' ', Enumerable.Repeat("word", 30));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Stream -TimeoutSec 2 -MaxAttempts 1");

        Assert.True(result.Errors.Count == 0, result.AllText());
        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 30)), result.Output.Single().ToString());
    }

    [Fact]
    public void A_silent_stream_times_out_like_a_call_and_is_retried_before_its_first_piece()
    {
        Server.EnqueueFault(Fault.Slow(TimeSpan.FromSeconds(5)));
        Server.EnqueueFault(Fault.Slow(TimeSpan.FromSeconds(5)));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Stream -TimeoutSec 0.3 -MaxAttempts 2");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RequestTimedOut,", error.FullyQualifiedErrorId);
        Assert.Contains("-TimeoutSec", error.Exception.Message);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Stop_cancels_a_hanging_request_promptly_and_writes_nothing()
    {
        Server.EnqueueFault(Fault.Hang());

        using var ps = PowerShell.Create(Ps.Runspace);
        ps.AddScript("Send-LlmMessage 'hi' -ApiKey $Key -TimeoutSec 600");
        var invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => Server.CountOf(LlmRoute.Chat) == 1, TimeSpan.FromSeconds(20)), "request never arrived");

        await Task.Run(ps.Stop).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public async Task Stop_cancels_a_stream_mid_way()
    {
        Server.StreamChunkDelay = TimeSpan.FromMilliseconds(200);
        Server.ChatReply = _ => string.Join(' ', Enumerable.Repeat("word", 200));

        using var ps = PowerShell.Create(Ps.Runspace);
        ps.AddScript("Send-LlmMessage 'hi' -ApiKey $Key -Stream");
        var invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => ps.Streams.Information.Count >= 2, TimeSpan.FromSeconds(20)), "no chunk arrived");

        await Task.Run(ps.Stop).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.True(ps.Streams.Information.Count < 100, "the stream was cut short");
    }
}

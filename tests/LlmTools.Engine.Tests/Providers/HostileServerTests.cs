using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.TestServer;

namespace LlmTools.Engine.Tests.Providers;

/// <summary>A server that answers wrongly still gets a failure that says what happened, never a parser's or a runtime's text.</summary>
public sealed class HostileServerTests : IAsyncLifetime
{
    private LoopbackLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("<html><body>Welcome to the hotel wifi</body></html>", "text/html", "HTML")]
    [InlineData("", "application/json", "empty")]
    [InlineData("{}", "application/json", "lacks")]
    [InlineData("this is not json", "text/plain", "not valid JSON")]
    [InlineData("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}", "application/json", "lacks")]
    public async Task A_200_that_is_not_an_answer_is_InvalidResponse(string body, string contentType, string says)
    {
        _server.EnqueueFault(Fault.Raw(200, body, contentType));

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(LlmErrorId.InvalidResponse, ex.ErrorId);
        Assert.True(ex.Message.Contains(says, StringComparison.Ordinal), ex.Message);
        Assert.Contains(_server.BaseUri.Authority, ex.Message);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_is_refused_before_it_fills_memory()
    {
        _server.EnqueueFault(Fault.Huge(mebibytes: 101)); // no Content-Length: the cap counts bytes as they arrive
        var before = GC.GetTotalAllocatedBytes();

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(LlmErrorId.ResponseTooLarge, ex.ErrorId);
        Assert.Contains("larger than 100 MiB", ex.Message);
        Assert.Contains(_server.BaseUri.Authority, ex.Message);
        Assert.False(ex.IsTransient);
        // why a bound: what was read is buffered (the SDK reads a body whole), but never the whole answer parsed into more
        Assert.InRange(GC.GetTotalAllocatedBytes() - before, 0, 2_000_000_000L);
    }

    [Theory]
    [InlineData("Infinity", null)]
    [InlineData("1e300", null)]
    [InlineData(null, "1e300")]
    [InlineData("-Infinity", "NaN")]
    public async Task An_absurd_Retry_After_keeps_the_servers_503(string? retryAfter, string? retryAfterMs)
    {
        _server.EnqueueFault(Fault.ServerError(503) with { RetryAfter = retryAfter, RetryAfterMs = retryAfterMs });

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(LlmErrorId.ServerError, ex.ErrorId);
        Assert.Equal(503, ex.Status);
        Assert.True(ex.IsTransient);
        Assert.True(ex.RetryAfter is null || ex.RetryAfter <= TimeSpan.FromDays(1));
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    public async Task Not_implemented_is_not_retried(int status)
    {
        _server.EnqueueFault(Fault.Status(status, "no such thing here"));

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(LlmErrorId.ServerError, ex.ErrorId);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task Llama_cpp_context_overflow_is_ContextLengthExceeded_with_the_counts()
    {
        _server.EnqueueFault(Fault.Raw(400,
            "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":9000,\"n_ctx\":4096}}"));

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(LlmErrorId.ContextLengthExceeded, ex.ErrorId);
        Assert.True(ex.Message.Contains("9000 prompt tokens, the context holds 4096", StringComparison.Ordinal), ex.Message);
        Assert.Contains("try increasing it. Shorten it", ex.Message); // a full stop between the server's text and ours
    }

    [Fact]
    public async Task A_redirect_says_where_it_points()
    {
        _server.EnqueueFault(Fault.Raw(308, string.Empty) with
        {
            Headers = new Dictionary<string, string> { ["Location"] = "https://user:pw@new.example.org/v1/chat/completions?sig=secret" },
        });

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains("308", ex.Message);
        Assert.Contains("to https://new.example.org/v1/chat/completions", ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
        Assert.DoesNotContain("pw", ex.Message);
    }

    [Fact]
    public async Task A_stream_without_a_finish_reason_is_incomplete_and_keeps_its_text()
    {
        _server.EnqueueFault(Fault.Stream(cut: false, Fault.Chunk("Half an "), Fault.Chunk("answer"), "[DONE]"));

        var (text, ex) = await StreamAsync();

        Assert.Equal("Half an answer", text);
        Assert.Equal(LlmErrorId.ResponseIncomplete, ex!.ErrorId);
        Assert.Equal("Half an answer", ex.PartialContent);
        Assert.Contains("finish reason", ex.Message);
    }

    [Fact]
    public async Task A_stream_with_an_error_event_is_incomplete()
    {
        _server.EnqueueFault(Fault.Stream(cut: false, Fault.Chunk("Partial"), "{\"error\":{\"message\":\"upstream model crashed\",\"type\":\"server_error\"}}"));

        var (text, ex) = await StreamAsync();

        Assert.Equal("Partial", text);
        Assert.Equal(LlmErrorId.ResponseIncomplete, ex!.ErrorId);
        Assert.Equal("Partial", ex.PartialContent);
        Assert.Contains("the server sent an error event. The server said: upstream model crashed.", ex.Message); // the SDK skips the event; its text is kept
    }

    [Fact]
    public async Task A_stream_cut_after_text_is_incomplete_not_unreachable()
    {
        _server.EnqueueFault(Fault.Stream(cut: true, Fault.Chunk("Shown "), Fault.Chunk("text")));

        var (text, ex) = await StreamAsync();

        Assert.Equal("Shown text", text);
        Assert.Equal(LlmErrorId.ResponseIncomplete, ex!.ErrorId);
        Assert.Equal("Shown text", ex.PartialContent);
        Assert.DoesNotContain("Cannot reach", ex.Message.Split(':')[0]);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task A_complete_stream_is_a_success()
    {
        _server.EnqueueFault(Fault.Stream(cut: false, Fault.Chunk("Whole"), Fault.Chunk("", "stop"), "[DONE]"));

        var (text, ex) = await StreamAsync();

        Assert.Null(ex);
        Assert.Equal("Whole", text);
    }

    private async Task<(string Text, LlmException? Error)> StreamAsync()
    {
        var text = new System.Text.StringBuilder();
        try
        {
            await foreach (var update in Client().StreamAsync(Request(), TimeSpan.FromSeconds(10), CancellationToken.None))
            {
                text.Append(update.TextDelta);
            }
        }
        catch (LlmException ex)
        {
            return (text.ToString(), ex);
        }

        return (text.ToString(), null);
    }

    private ILlmClient Client()
    {
        var settings = new LlmSettings { Endpoint = _server.OpenAIEndpoint, ApiKey = new ApiSecret("test-key-0123456789") };
        return LlmClientFactory.Create(settings, ProviderEndpoint.From(settings));
    }

    private static ChatRequest Request() => new() { Model = "gpt-4o-mini", Messages = [ChatMessage.User("hi")] };
}

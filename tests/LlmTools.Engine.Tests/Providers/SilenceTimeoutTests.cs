using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.TestServer;

namespace LlmTools.Engine.Tests.Providers;

/// <summary>TIMEOUT is the server's silence: never the time the caller spends on a piece it was given.</summary>
public sealed class SilenceTimeoutTests : IAsyncLifetime
{
    private LoopbackLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_slow_reader_of_a_fast_stream_is_not_a_server_timeout()
    {
        _server.StreamChunkDelay = TimeSpan.FromMilliseconds(10);
        _server.ChatReply = _ => string.Join(' ', Enumerable.Repeat("word", 20));
        var client = Client();

        var text = new List<string>();
        await foreach (var update in client.StreamAsync(Request(), TimeSpan.FromSeconds(0.5), CancellationToken.None))
        {
            if (update.TextDelta is { } delta)
            {
                text.Add(delta);
                if (text.Count == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5)); // the host is busy (a paused console, a slow pipeline)
                }
            }
        }

        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 20)), string.Concat(text));
    }

    [Fact]
    public async Task A_server_silent_past_the_timeout_is_a_transient_RequestTimedOut()
    {
        _server.EnqueueFault(Fault.Slow(TimeSpan.FromSeconds(5)));

        var ex = await Assert.ThrowsAsync<LlmException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(0.3), CancellationToken.None));

        Assert.Equal(LlmErrorId.RequestTimedOut, ex.ErrorId);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_classified()
    {
        _server.EnqueueFault(Fault.Hang());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().CompleteAsync(Request(), TimeSpan.FromSeconds(30), cancel.Token));
    }

    private ILlmClient Client()
    {
        var settings = new LlmSettings { Endpoint = _server.OpenAIEndpoint, ApiKey = new ApiSecret("k") };
        return LlmClientFactory.Create(settings, ProviderEndpoint.From(settings));
    }

    private static ChatRequest Request() => new() { Model = "gpt-4o-mini", Messages = [ChatMessage.User("hi")] };
}

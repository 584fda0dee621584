using LlmTools.Engine.Providers;

namespace LlmTools.Engine.Tests.Providers;

/// <summary>Streamed tool calls put together from their pieces, as OpenAI and compatible servers send them.</summary>
public sealed class StreamedToolCallsTests
{
    [Fact]
    public void Pieces_of_interleaved_calls_join_by_index()
    {
        var calls = new StreamedToolCalls();
        calls.Add(0, "call_a", "Get-Weather", "");
        calls.Add(1, "call_b", "Get-Time", "{\"Zone\"");
        calls.Add(0, null, null, "{\"City\":");
        calls.Add(1, null, null, ":\"UTC\"}");
        calls.Add(0, null, null, "\"Oslo\"}");

        Assert.Equal(
            [("call_a", "Get-Weather", "{\"City\":\"Oslo\"}"), ("call_b", "Get-Time", "{\"Zone\":\"UTC\"}")],
            calls.Calls()!.Select(c => (c.Id, c.Name, c.Arguments)).ToArray());
    }

    [Fact]
    public void Whole_calls_sent_under_one_index_stay_apart()
    {
        // Ollama streams each call whole, every one with index 0
        var calls = new StreamedToolCalls();
        calls.Add(0, "call_a", "Get-Weather", "{\"City\":\"Oslo\"}");
        calls.Add(0, "call_b", "Get-Weather", "{\"City\":\"Rome\"}");

        Assert.Equal(["{\"City\":\"Oslo\"}", "{\"City\":\"Rome\"}"], calls.Calls()!.Select(c => c.Arguments).ToArray());
    }
}

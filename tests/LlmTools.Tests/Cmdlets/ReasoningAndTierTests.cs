using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// The current request surface: reasoning effort, verbosity, the developer role of reasoning models, service tiers and
/// the prompt-cache key, checked on the wire against the Chat Completions request body of the OpenAI API reference.
/// </summary>
public sealed class ReasoningAndTierTests : LlmTestContext
{
    private JsonNode Body() => Server.Requests.Last(r => r.Route == LlmRoute.Chat).Json!;

    [Fact]
    public void A_reasoning_request_carries_its_controls_as_the_API_names_them()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi' -Model gpt-5-mini -SystemPrompt 'Be brief.' -MaxTokens 100 -ReasoningEffort Minimal -Verbosity low -ServiceTier flex -PromptCacheKey tickets-v1");

        Assert.Empty(result.Errors);
        var body = Body();
        Assert.Equal("minimal", (string?)body["reasoning_effort"]);
        Assert.Equal("low", (string?)body["verbosity"]);
        Assert.Equal("flex", (string?)body["service_tier"]);
        Assert.Equal("tickets-v1", (string?)body["prompt_cache_key"]);
        Assert.Equal(100, (int?)body["max_completion_tokens"]);
        Assert.Null(body["max_tokens"]);
        Assert.Equal("developer", (string?)body["messages"]![0]!["role"]); // reasoning models take instructions as developer messages
    }

    [Fact]
    public void An_older_model_keeps_the_system_role_and_sends_no_controls_unasked()
    {
        Ps.Invoke("Send-LlmMessage 'hi' -Model gpt-4o -SystemPrompt 'Be brief.'");

        var body = Body();
        Assert.Equal("system", (string?)body["messages"]![0]!["role"]);
        Assert.Null(body["reasoning_effort"]);
        Assert.Null(body["service_tier"]);
        Assert.Null(body["prompt_cache_key"]);
    }

    [Theory]
    [InlineData("-Model gpt-4o -ReasoningEffort high", "is not a reasoning model")]
    [InlineData("-Model o3 -ReasoningEffort minimal", "takes -ReasoningEffort low, medium, high")]
    [InlineData("-Model o4-mini -Verbosity low", "takes no -Verbosity")]
    public void Controls_a_known_model_does_not_take_stop_the_command_before_any_request(string parameters, string says)
    {
        var result = Ps.Invoke($"'a', 'b' | Send-LlmMessage {parameters}");

        Assert.Contains(says, result.Terminating?.Message + result.AllText());
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_unknown_model_gets_the_controls_as_asked()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi' -Model my-azure-deployment -ReasoningEffort high -Verbosity high");

        Assert.Empty(result.Errors);
        Assert.Equal("high", (string?)Body()["reasoning_effort"]);
    }

    [Fact]
    public void Effort_is_in_the_cache_key_and_the_tier_is_not()
    {
        Ps.Invoke("Send-LlmMessage 'q' -Model o3 -ReasoningEffort low -Cache | Out-Null");
        var again = Ps.Invoke("Send-LlmMessage 'q' -Model o3 -ReasoningEffort low -ServiceTier flex -Cache");
        Ps.Invoke("Send-LlmMessage 'q' -Model o3 -ReasoningEffort high -Cache | Out-Null");

        Assert.True((bool)again.Output[0].Properties["Cached"].Value);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Flex_costs_the_batch_price_and_priority_an_unknown_price()
    {
        var result = Ps.Invoke("Send-LlmMessage 'a' -ServiceTier flex; Send-LlmMessage 'a' -ServiceTier priority; Get-LlmConfig TIMEOUT -ErrorAction Stop | Out-Null");

        var flex = result.Output[0];
        var prompt = Convert.ToInt32(flex.Properties["PromptTokens"].Value);
        var completion = Convert.ToInt32(flex.Properties["CompletionTokens"].Value);
        Assert.Equal((prompt * 0.075m + completion * 0.30m) / 1_000_000m, flex.Properties["Cost"].Value); // half of gpt-4o-mini's 0.15 / 0.60
        Assert.Null(result.Output[1].Properties["Cost"].Value);
    }
}

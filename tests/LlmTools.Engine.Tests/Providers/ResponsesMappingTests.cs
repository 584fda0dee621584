using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;

namespace LlmTools.Engine.Tests.Providers;

/// <summary>The Responses wire's message mapping, its place in the cache key, and what it refuses before sending.</summary>
public sealed class ResponsesMappingTests
{
    private static readonly ChatRequest Chat = new() { Messages = [ChatMessage.User("hi")], Model = "gpt-4o-mini" };

    [Fact]
    public void Leading_system_messages_become_the_instructions_and_the_rest_items_by_role()
    {
        var (instructions, items) = SdkResponsesMapping.ToInput(
            [ChatMessage.System("Be brief."), new ChatMessage("developer", "Use French."), ChatMessage.User("hi"), ChatMessage.Assistant("salut"), ChatMessage.System("Now in English.")],
            "o3");

        Assert.Equal("Be brief.\n\nUse French.", instructions);
        Assert.Equal(3, items.Count);
    }

    [Fact]
    public void The_API_the_previous_response_and_storing_are_in_the_cache_key_and_the_context_size_is_not()
    {
        var chat = CacheKeys.ForChat("OpenAI", "api.openai.com", Chat);
        var responses = CacheKeys.ForChat("OpenAI", "api.openai.com", Chat with { Wire = ChatWire.Responses });
        var stored = CacheKeys.ForChat("OpenAI", "api.openai.com", Chat with { Wire = ChatWire.Responses with { Store = true } });
        var continued = CacheKeys.ForChat("OpenAI", "api.openai.com", Chat with { Wire = ChatWire.Responses with { PreviousResponseId = "resp_1" } });
        var counted = CacheKeys.ForChat("OpenAI", "api.openai.com", Chat with { Wire = ChatWire.Responses with { PreviousResponseId = "resp_1", ContextTokens = 3000 } });

        Assert.NotEqual(chat, responses);
        Assert.NotEqual(responses, stored); // a stored answer's id lives on; an unstored one's must not answer a -Store call
        Assert.NotEqual(responses, continued);
        Assert.Equal(continued, counted);
    }

    [Fact]
    public void Azure_deployment_style_and_chat_only_controls_are_refused()
    {
        var azure = new LlmSettings { Provider = ProviderKind.Azure, Endpoint = new Uri("https://contoso.openai.azure.com/"), Api = ChatApi.Responses };
        var azureV1 = azure with { Endpoint = new Uri("https://contoso.openai.azure.com/openai/v1/") };
        var seeded = new LlmSettings { Api = ChatApi.Responses, Sampling = new SamplingOptions { Seed = 1, FrequencyPenalty = 0 } };

        Assert.Contains("needs Azure OpenAI's v1 endpoint", ResponsesWire.Problem(azure));
        Assert.Null(ResponsesWire.Problem(azureV1));
        Assert.Equal("The Responses API has no -Seed; leave it out or use -Api ChatCompletions.", ResponsesWire.Problem(seeded));
        Assert.Null(ResponsesWire.Problem(seeded with { Api = ChatApi.ChatCompletions }));
    }
}

using System.Globalization;
using System.Text;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Tests.Caching;

public sealed class CacheKeyTests
{
    // What the lead's chat service is expected to hash: only what decides the answer.
    private sealed record Message(string Role, string Content);

    private sealed record ChatKey(
        string Kind,
        ProviderKind Provider,
        string? EndpointHost,
        string Model,
        IReadOnlyList<Message> Messages,
        float? Temperature = null,
        float? TopP = null,
        int? MaxTokens = null,
        IReadOnlyList<string>? Stop = null,
        IReadOnlyDictionary<string, object>? ResponseFormat = null,
        int? Dimensions = null);

    // Same properties, declared in another order.
    private sealed record ReorderedChatKey(
        IReadOnlyList<Message> Messages,
        string Model,
        string? EndpointHost,
        ProviderKind Provider,
        string Kind,
        float? Temperature = null);

    private static ChatKey Baseline() => new(
        "chat",
        ProviderKind.OpenAI,
        "api.openai.com",
        "gpt-4o-mini",
        [new("system", "You are terse."), new("user", "What is the capital of France?")],
        Temperature: 0.7f);

    [Fact]
    public void Key_is_64_lowercase_hex_and_stable_across_calls_and_instances()
    {
        var key = CacheKeys.Compute(Baseline());

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, CacheKeys.Compute(Baseline()));
        Assert.True(CacheKeys.IsValid(key));
    }

    [Fact]
    public void Known_material_has_a_known_key_so_a_serializer_change_cannot_silently_drop_every_entry()
    {
        var canonical = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Baseline()));

        Assert.Equal(
            """{"EndpointHost":"api.openai.com","Kind":"chat","Messages":[{"Content":"You are terse.","Role":"system"},{"Content":"What is the capital of France?","Role":"user"}],"Model":"gpt-4o-mini","Provider":"OpenAI","Temperature":0.7}""",
            canonical);
    }

    // why pinned on the real key types: renaming a field of ChatCacheKey or EmbeddingCacheKey, or moving a sampling
    // option, would orphan every answer users have cached; these values were computed before the session refactor
    [Fact]
    public void The_real_chat_key_is_pinned()
    {
        var request = new ChatRequest
        {
            Model = "gpt-4o-mini",
            Messages = [ChatMessage.System("You are terse."), new ChatMessage("user", "What is the capital of France?", "ann")],
            Sampling = new() { MaxTokens = 50, Temperature = 0.7f, TopP = 0.9f, FrequencyPenalty = 0.1f, PresencePenalty = -0.2f, Stop = ["END"], Seed = 42 },
            ResponseFormat = new ResponseFormat("{\"type\":\"object\"}", "city", true),
        };

        Assert.Equal(
            """{"EndpointHost":"api.openai.com","Kind":"chat","Provider":"OpenAI","Request":{"FrequencyPenalty":0.1,"MaxTokens":50,"Messages":[{"Content":"You are terse.","Role":"system"},{"Content":"What is the capital of France?","Name":"ann","Role":"user"}],"Model":"gpt-4o-mini","PresencePenalty":-0.2,"ResponseFormat":{"SchemaJson":"{\"type\":\"object\"}","SchemaName":"city","Strict":true},"Seed":42,"Stop":["END"],"Temperature":0.7,"TopP":0.9}}""",
            Encoding.UTF8.GetString(CanonicalJson.Canonicalize(ChatCacheKey.For("OpenAI", "api.openai.com", request))));
        Assert.Equal("e598d421a8c4e5f333b78eb4da183d927491635e400f59fd099a791c94f8a5de", CacheKeys.ForChat("OpenAI", "api.openai.com", request));
        Assert.Equal(
            "f2ee099a7180fc77971443e1c7320c50073069104658607bbc70b9afebeae1c3",
            CacheKeys.ForChat("Azure", "res.openai.azure.com:8443", new ChatRequest { Model = "dep", Messages = [ChatMessage.User("hi")] }));
    }

    [Fact]
    public void The_real_embedding_key_is_pinned() =>
        Assert.Equal(
            "89b7da6e88d60c2a024d2e8035349b202187ab72db502753b42be675784b321d",
            CacheKeys.ForEmbedding("OpenAI", "api.openai.com", "text-embedding-3-small", 256, "hello"));

    [Fact]
    public void Property_declaration_order_does_not_matter()
    {
        var b = Baseline();
        var reordered = new ReorderedChatKey(b.Messages, b.Model, b.EndpointHost, b.Provider, b.Kind, b.Temperature);

        Assert.Equal(CacheKeys.Compute(b), CacheKeys.Compute(reordered));
    }

    [Fact]
    public void Dictionary_insertion_order_does_not_matter()
    {
        var first = new Dictionary<string, object> { ["type"] = "json_schema", ["strict"] = true, ["name"] = "city" };
        var second = new Dictionary<string, object> { ["name"] = "city", ["strict"] = true, ["type"] = "json_schema" };

        Assert.Equal(
            CacheKeys.Compute(Baseline() with { ResponseFormat = first }),
            CacheKeys.Compute(Baseline() with { ResponseFormat = second }));
    }

    [Fact]
    public void Culture_does_not_matter()
    {
        var invariant = CacheKeys.Compute(Baseline());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma
            Assert.Equal(invariant, CacheKeys.Compute(Baseline()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void An_unset_optional_property_equals_an_absent_one()
    {
        var b = Baseline();
        var withNulls = new ReorderedChatKey(b.Messages, b.Model, b.EndpointHost, b.Provider, b.Kind, b.Temperature);
        var explicitNulls = Baseline() with { TopP = null, MaxTokens = null, Stop = null };

        Assert.Equal(CacheKeys.Compute(withNulls), CacheKeys.Compute(explicitNulls));
    }

    public static TheoryData<string> SemanticChanges() => new()
    {
        "kind", "provider", "endpoint", "model", "role", "content", "content whitespace", "message order", "extra message",
        "temperature", "tiny temperature change", "top_p", "max tokens", "stop", "response format", "dimensions",
    };

    [Theory]
    [MemberData(nameof(SemanticChanges))]
    public void Any_semantic_change_gives_another_key(string change)
    {
        var b = Baseline();
        ChatKey changed = change switch
        {
            "kind" => b with { Kind = "embedding" },
            "provider" => b with { Provider = ProviderKind.Azure },
            "endpoint" => b with { EndpointHost = "localhost:11434" },
            "model" => b with { Model = "gpt-4o" },
            "role" => b with { Messages = [new("user", "You are terse."), b.Messages[1]] },
            "content" => b with { Messages = [b.Messages[0], new("user", "What is the capital of Spain?")] },
            "content whitespace" => b with { Messages = [b.Messages[0], new("user", "What is the capital of France? ")] },
            "message order" => b with { Messages = [b.Messages[1], b.Messages[0]] },
            "extra message" => b with { Messages = [.. b.Messages, new("assistant", "Paris.")] },
            "temperature" => b with { Temperature = 0f },
            "tiny temperature change" => b with { Temperature = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(0.7f) + 1) },
            "top_p" => b with { TopP = 1f },
            "max tokens" => b with { MaxTokens = 100 },
            "stop" => b with { Stop = ["\n"] },
            "response format" => b with { ResponseFormat = new Dictionary<string, object> { ["type"] = "json_object" } },
            "dimensions" => b with { Dimensions = 256 },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.NotEqual(CacheKeys.Compute(b), CacheKeys.Compute(changed));
    }

    private record BaseKey(string Model);

    private sealed record DerivedKey(string Model, string Prompt) : BaseKey(Model);

    [Fact]
    public void Material_passed_as_its_base_type_keeps_the_derived_properties()
    {
        BaseKey first = new DerivedKey("gpt-4o", "first question");
        BaseKey second = new DerivedKey("gpt-4o", "second question");

        Assert.NotEqual(CacheKeys.Compute(first), CacheKeys.Compute(second));
    }

    [Fact]
    public void Null_temperature_and_zero_temperature_differ()
    {
        Assert.NotEqual(
            CacheKeys.Compute(Baseline() with { Temperature = null }),
            CacheKeys.Compute(Baseline() with { Temperature = 0f }));
    }
}

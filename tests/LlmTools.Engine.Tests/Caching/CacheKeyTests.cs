using System.Globalization;
using System.Text;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;

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
        var key = FileResponseCache.ComputeKey(Baseline());

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, FileResponseCache.ComputeKey(Baseline()));
        Assert.True(FileResponseCache.IsValidKey(key));
    }

    [Fact]
    public void Known_material_has_a_known_key_so_a_serializer_change_cannot_silently_drop_every_entry()
    {
        var canonical = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Baseline()));

        Assert.Equal(
            """{"EndpointHost":"api.openai.com","Kind":"chat","Messages":[{"Content":"You are terse.","Role":"system"},{"Content":"What is the capital of France?","Role":"user"}],"Model":"gpt-4o-mini","Provider":"OpenAI","Temperature":0.7}""",
            canonical);
    }

    [Fact]
    public void Property_declaration_order_does_not_matter()
    {
        var b = Baseline();
        var reordered = new ReorderedChatKey(b.Messages, b.Model, b.EndpointHost, b.Provider, b.Kind, b.Temperature);

        Assert.Equal(FileResponseCache.ComputeKey(b), FileResponseCache.ComputeKey(reordered));
    }

    [Fact]
    public void Dictionary_insertion_order_does_not_matter()
    {
        var first = new Dictionary<string, object> { ["type"] = "json_schema", ["strict"] = true, ["name"] = "city" };
        var second = new Dictionary<string, object> { ["name"] = "city", ["strict"] = true, ["type"] = "json_schema" };

        Assert.Equal(
            FileResponseCache.ComputeKey(Baseline() with { ResponseFormat = first }),
            FileResponseCache.ComputeKey(Baseline() with { ResponseFormat = second }));
    }

    [Fact]
    public void Culture_does_not_matter()
    {
        var invariant = FileResponseCache.ComputeKey(Baseline());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma
            Assert.Equal(invariant, FileResponseCache.ComputeKey(Baseline()));
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

        Assert.Equal(FileResponseCache.ComputeKey(withNulls), FileResponseCache.ComputeKey(explicitNulls));
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

        Assert.NotEqual(FileResponseCache.ComputeKey(b), FileResponseCache.ComputeKey(changed));
    }

    private record BaseKey(string Model);

    private sealed record DerivedKey(string Model, string Prompt) : BaseKey(Model);

    [Fact]
    public void Material_passed_as_its_base_type_keeps_the_derived_properties()
    {
        BaseKey first = new DerivedKey("gpt-4o", "first question");
        BaseKey second = new DerivedKey("gpt-4o", "second question");

        Assert.NotEqual(FileResponseCache.ComputeKey(first), FileResponseCache.ComputeKey(second));
    }

    [Fact]
    public void Null_temperature_and_zero_temperature_differ()
    {
        Assert.NotEqual(
            FileResponseCache.ComputeKey(Baseline() with { Temperature = null }),
            FileResponseCache.ComputeKey(Baseline() with { Temperature = 0f }));
    }
}

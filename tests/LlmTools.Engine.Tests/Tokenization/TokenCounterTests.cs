using LlmTools.Engine.Models;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Tests.Tokenization;

public sealed class TokenCounterTests
{
    // Reference counts printed by tiktoken itself (openai/tiktoken tests and the OpenAI cookbook
    // "How to count tokens with tiktoken").
    [Theory]
    [InlineData("cl100k_base", "hello world", 2)]
    [InlineData("o200k_base", "hello world", 2)]
    [InlineData("r50k_base", "hello world", 2)]
    [InlineData("cl100k_base", "tiktoken is great!", 6)]
    [InlineData("o200k_base", "tiktoken is great!", 6)]
    [InlineData("cl100k_base", "antidisestablishmentarianism", 6)]
    [InlineData("r50k_base", "antidisestablishmentarianism", 5)]
    [InlineData("cl100k_base", "2 + 2 = 4", 7)]
    [InlineData("r50k_base", "2 + 2 = 4", 5)]
    [InlineData("cl100k_base", "お誕生日おめでとう", 9)]
    [InlineData("o200k_base", "お誕生日おめでとう", 8)]
    [InlineData("r50k_base", "お誕生日おめでとう", 14)]
    [InlineData("cl100k_base", "👍", 3)]
    [InlineData("o200k_base", "", 0)]
    public void Counts_equal_tiktoken(string encoding, string text, int expected) =>
        Assert.Equal(expected, new TokenCounter(encoding).Count(text));

    public static TheoryData<string, int> CookbookChat => new()
    {
        { "gpt-3.5-turbo", 129 },
        { "gpt-4", 129 },
        { "gpt-4o", 124 },
        { "gpt-4o-mini", 124 },
    };

    [Theory]
    [MemberData(nameof(CookbookChat))]
    public void Chat_counts_equal_the_cookbook(string model, int expected)
    {
        ChatMessage[] messages =
        [
            new("system", "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
            new("system", "New synergies will help drive top-line growth.", "example_user"),
            new("system", "Things working well together will increase revenue.", "example_assistant"),
            new("system", "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.", "example_user"),
            new("system", "Let's talk later when we're less busy about how to do better.", "example_assistant"),
            new("user", "This late pivot means we don't have time to boil the ocean for the client deliverable."),
        ];

        var (counter, isFallback) = TokenCounter.ForModel(model);

        Assert.False(isFallback);
        Assert.Equal(expected, counter.CountChat(messages));
    }

    [Fact]
    public void Tokenizers_are_built_once_per_encoding() =>
        Assert.Same(TokenizerCache.Get("o200k_base"), TokenizerCache.Get("O200K_BASE"));

    [Fact]
    public void Unknown_encoding_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TokenCounter("p99k_base"));
        Assert.Contains("o200k_base", ex.Message);
    }
}

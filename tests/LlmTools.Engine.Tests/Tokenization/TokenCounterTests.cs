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

    [Fact]
    public void A_reservation_estimate_is_exact_for_ordinary_text_and_linear_for_a_blob()
    {
        var counter = new TokenCounter("o200k_base");
        var prose = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog, twice. ", 2000));

        Assert.Equal(counter.Count(prose), counter.Estimate(prose));
        // why this figure: a 2,048-letter piece is 256 tokens of 'xxxxxxxx'; the whole 1.1 million as one piece
        // would take minutes to merge (quadratic), which is what hung a paced request before
        Assert.Equal(1_100_000 / 2048 * 256 + counter.Count(new string('x', 1_100_000 % 2048)), counter.Estimate(new string('x', 1_100_000)));
    }

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

using LlmTools.Engine.Tokenization;

namespace LlmTools.Engine.Tests.Tokenization;

public sealed class ModelEncodingsTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("gpt-5-mini", "o200k_base")]
    [InlineData("o1-preview", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("o4-mini", "o200k_base")]
    [InlineData("openai/gpt-4o", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("gpt-35-turbo", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base")]
    [InlineData("text-embedding-ada-002", "cl100k_base")]
    public void Known_models_map_to_their_encoding(string model, string encoding)
    {
        Assert.Equal((encoding, false), ModelEncodings.ForModel(model));
    }

    [Theory]
    [InlineData("llama3.1:8b")]
    [InlineData("my-azure-deployment")]
    public void Unknown_models_fall_back_and_say_so(string model) =>
        Assert.Equal((ModelEncodings.Fallback, true), ModelEncodings.ForModel(model));
}

namespace LlmTools.Engine.Models;

/// <summary>
/// One chat completion request: everything that decides the answer (and so the cache key), nothing about
/// transport (timeouts, retries, keys).
/// </summary>
public sealed record ChatRequest
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Model name; for Azure the deployment name.</summary>
    public required string Model { get; init; }

    public int? MaxTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public float? FrequencyPenalty { get; init; }
    public float? PresencePenalty { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }
    public long? Seed { get; init; }
    public ResponseFormat? ResponseFormat { get; init; }
}

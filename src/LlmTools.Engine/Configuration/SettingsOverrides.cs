namespace LlmTools.Engine.Configuration;

/// <summary>Values given as cmdlet parameters: the last and strongest layer. Null means "not given".</summary>
public sealed record SettingsOverrides
{
    public ProviderKind? Provider { get; init; }
    public Uri? Endpoint { get; init; }
    public ApiSecret? ApiKey { get; init; }
    public string? ApiVersion { get; init; }
    public string? Model { get; init; }
    public string? EmbeddingModel { get; init; }
    public int? MaxTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public float? FrequencyPenalty { get; init; }
    public float? PresencePenalty { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int? MaxAttempts { get; init; }
    public bool? CacheApiCalls { get; init; }
    public CacheMode? CacheMode { get; init; }
}

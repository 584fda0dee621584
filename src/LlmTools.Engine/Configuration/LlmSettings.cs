namespace LlmTools.Engine.Configuration;

/// <summary>
/// Fully resolved, immutable settings for one cmdlet invocation: config.ini layers, environment and parameters
/// already merged. Built by <see cref="SettingsLoader"/>.
/// </summary>
public sealed record LlmSettings
{
    public ProviderKind Provider { get; init; } = ProviderKind.OpenAI;

    /// <summary>Base URL; null means api.openai.com for OpenAI. Required for Azure.</summary>
    public Uri? Endpoint { get; init; }

    public ApiSecret? ApiKey { get; init; }

    public string Model { get; init; } = "gpt-4o-mini";
    public string EmbeddingModel { get; init; } = "text-embedding-3-small";
    public int? MaxTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public float? FrequencyPenalty { get; init; }
    public float? PresencePenalty { get; init; }

    /// <summary>Per-attempt timeout of one HTTP request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay (TinyTroupe's WAITING_TIME); multiplied by <see cref="BackoffFactor"/> per retry.</summary>
    public TimeSpan WaitingTime { get; init; } = TimeSpan.FromSeconds(1);

    public double BackoffFactor { get; init; } = 2;

    /// <summary>Upper bound of any single retry delay, Retry-After included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    public bool CacheApiCalls { get; init; }

    /// <summary>TinyTroupe's pickle cache file name; read so its config loads, never used.</summary>
    public string? CacheFileName { get; init; }

    public string AzureApiVersion { get; init; } = "2024-10-21";
    public string CacheDirectory { get; init; } = CacheLocation.Default();
    public CacheMode CacheMode { get; init; } = CacheMode.ReadWrite;

    /// <summary>Entries older than this are misses; null keeps them forever.</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary>Where each key's value came from ("config.ini path", "environment variable X", "parameter"): for -Verbose.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>The endpoint to show in messages: never contains a secret (credentials in URLs are dropped).</summary>
    public string EndpointDisplay => Endpoint is null
        ? "https://api.openai.com/v1"
        : new UriBuilder(Endpoint) { UserName = string.Empty, Password = string.Empty, Query = string.Empty }.Uri.ToString();
}

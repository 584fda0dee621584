namespace LlmTools.Engine.Configuration;

/// <summary>
/// Keys of config.ini. The first block is TinyTroupe's [OpenAI] section, read as it is, so a TinyTroupe
/// config.ini works unchanged; the second block is LlmTools' own additions.
/// </summary>
public static class ConfigKeys
{
    public const string ApiType = "API_TYPE";
    public const string Model = "MODEL";
    public const string MaxTokens = "MAX_TOKENS";
    public const string Temperature = "TEMPERATURE";
    public const string TopP = "TOP_P";
    public const string FrequencyPenalty = "FREQ_PENALTY";
    public const string PresencePenalty = "PRESENCE_PENALTY";
    public const string Timeout = "TIMEOUT";
    public const string MaxAttempts = "MAX_ATTEMPTS";
    public const string WaitingTime = "WAITING_TIME";
    public const string BackoffFactor = "EXPONENTIAL_BACKOFF_FACTOR";
    public const string EmbeddingModel = "EMBEDDING_MODEL";
    public const string CacheApiCalls = "CACHE_API_CALLS";
    public const string CacheFileName = "CACHE_FILE_NAME";
    public const string AzureApiVersion = "AZURE_API_VERSION";

    public const string Endpoint = "ENDPOINT";
    public const string MaxRetryDelay = "MAX_RETRY_DELAY";
    public const string CacheDirectory = "CACHE_DIR";
    public const string CacheMode = "CACHE_MODE";
    public const string CacheTtl = "CACHE_TTL";

    /// <summary>Keys that look like secrets; finding one in a file is an error (keys live in the environment).</summary>
    public static readonly string[] ForbiddenSecretKeys =
        ["API_KEY", "OPENAI_API_KEY", "AZURE_OPENAI_KEY", "AZURE_OPENAI_API_KEY", "KEY"];

    /// <summary>Sections whose keys are read; TinyTroupe keeps its keys in [OpenAI].</summary>
    public static readonly string[] Sections = ["OpenAI", "LlmTools"];
}

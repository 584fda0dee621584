namespace LlmTools.Engine.Configuration;

/// <summary>
/// Keys of config.ini. The first block is TinyTroupe's [OpenAI] section, read as it is, so a TinyTroupe
/// config.ini works unchanged; the second block is LlmTools' own additions.
/// </summary>
public static class ConfigKeys
{
#pragma warning disable CS1591 // why: each constant is the key it names; config.ini documents them
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
#pragma warning restore CS1591

    /// <summary>Keys that look like secrets; finding one in a file is an error (keys live in the environment).</summary>
    public static readonly string[] ForbiddenSecretKeys =
        ["API_KEY", "OPENAI_API_KEY", "AZURE_OPENAI_KEY", "AZURE_OPENAI_API_KEY", "KEY"];

    /// <summary>Sections whose keys are read; TinyTroupe keeps its keys in [OpenAI].</summary>
    public static readonly string[] Sections = ["OpenAI", "LlmTools"];
}

/// <summary>Environment variables the settings loader reads.</summary>
public static class EnvironmentVariables
{
#pragma warning disable CS1591 // why: each constant is the variable it names; README documents them
    public const string OpenAIApiKey = "OPENAI_API_KEY";
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";
    public const string AzureEndpoint = "AZURE_OPENAI_ENDPOINT";
    public const string AzureApiKey = "AZURE_OPENAI_API_KEY";
    public const string AzureApiKeyTinyTroupe = "AZURE_OPENAI_KEY";
    public const string ConfigPath = "LLMTOOLS_CONFIG";
    public const string CacheDirectory = "LLMTOOLS_CACHE_DIR";
    public const string CacheMode = "LLMTOOLS_CACHE_MODE";
    public const string ApiType = "LLMTOOLS_API_TYPE";
    public const string Model = "LLMTOOLS_MODEL";
#pragma warning restore CS1591
}

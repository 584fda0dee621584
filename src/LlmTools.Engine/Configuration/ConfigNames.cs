namespace LlmTools.Engine.Configuration;

/// <summary>
/// Keys of config.ini. The first block is TinyTroupe's [OpenAI] section, read as it is, so a TinyTroupe
/// config.ini works unchanged; the second block is LlmTools' own additions.
/// </summary>
public static class ConfigKeys
{
    /// <summary>openai or azure.</summary>
    public const string ApiType = "API_TYPE";
    /// <summary>Chat model or Azure deployment.</summary>
    public const string Model = "MODEL";
    /// <summary>Longest answer in tokens.</summary>
    public const string MaxTokens = "MAX_TOKENS";
    /// <summary>0 to 2.</summary>
    public const string Temperature = "TEMPERATURE";
    /// <summary>0 to 1.</summary>
    public const string TopP = "TOP_P";
    /// <summary>-2 to 2.</summary>
    public const string FrequencyPenalty = "FREQ_PENALTY";
    /// <summary>-2 to 2.</summary>
    public const string PresencePenalty = "PRESENCE_PENALTY";
    /// <summary>Seconds the server may stay silent.</summary>
    public const string Timeout = "TIMEOUT";
    /// <summary>Attempts per request, the first included.</summary>
    public const string MaxAttempts = "MAX_ATTEMPTS";
    /// <summary>Seconds before the first retry.</summary>
    public const string WaitingTime = "WAITING_TIME";
    /// <summary>Growth of the retry delay.</summary>
    public const string BackoffFactor = "EXPONENTIAL_BACKOFF_FACTOR";
    /// <summary>Embedding model or Azure deployment.</summary>
    public const string EmbeddingModel = "EMBEDDING_MODEL";
    /// <summary>True: chat answers are cached.</summary>
    public const string CacheApiCalls = "CACHE_API_CALLS";
    /// <summary>TinyTroupe's pickle file; read, never used.</summary>
    public const string CacheFileName = "CACHE_FILE_NAME";
    /// <summary>Azure OpenAI api-version.</summary>
    public const string AzureApiVersion = "AZURE_API_VERSION";

    /// <summary>Base URL of the server.</summary>
    public const string Endpoint = "ENDPOINT";
    /// <summary>Longest single retry delay, Retry-After included.</summary>
    public const string MaxRetryDelay = "MAX_RETRY_DELAY";
    /// <summary>The cache folder.</summary>
    public const string CacheDirectory = "CACHE_DIR";
    /// <summary>readwrite, readonly or replay.</summary>
    public const string CacheMode = "CACHE_MODE";
    /// <summary>Seconds an entry stays fresh.</summary>
    public const string CacheTtl = "CACHE_TTL";
    /// <summary>Requests per minute to pace to, for servers that send no rate-limit headers.</summary>
    public const string RequestsPerMinute = "REQUESTS_PER_MINUTE";
    /// <summary>Tokens per minute to pace to, for servers that send no rate-limit headers.</summary>
    public const string TokensPerMinute = "TOKENS_PER_MINUTE";
    /// <summary>Seconds one request may wait for rate-limit quota after it was refused, in total.</summary>
    public const string RateLimitWait = "RATE_LIMIT_WAIT";
    /// <summary>Proxy URL for every request (else HTTPS_PROXY / HTTP_PROXY / NO_PROXY decide).</summary>
    public const string Proxy = "PROXY";
    /// <summary>Name of a SecretManagement secret holding the API key (read with Get-Secret by the module).</summary>
    public const string ApiKeySecret = "API_KEY_SECRET";

    /// <summary>Keys that look like secrets; finding one in a file is an error (keys live in the environment).</summary>
    public static readonly string[] ForbiddenSecretKeys =
        ["API_KEY", "OPENAI_API_KEY", "AZURE_OPENAI_KEY", "AZURE_OPENAI_API_KEY", "KEY"];

    /// <summary>auto, default, flex (batch price, slower) or priority.</summary>
    public const string ServiceTier = "SERVICE_TIER";

    /// <summary>ChatCompletions (the default) or Responses: the API that carries chat requests.</summary>
    public const string Api = "API";

    /// <summary>Most tokens (prompt and completion) the requests of one PowerShell session may use.</summary>
    public const string TokenBudget = "TOKEN_BUDGET";
    /// <summary>Most US dollars the requests of one PowerShell session may cost.</summary>
    public const string CostBudget = "COST_BUDGET";

    /// <summary>
    /// The section of per-model prices ("gpt-4o-mini = 0.15, 0.075, 0.60": input, cached input and output dollars per
    /// million tokens); its keys are model names, held as "PRICES:model". Why not a const: consts here are keys.
    /// </summary>
    public static readonly string PricesSection = "Prices";

    /// <summary>Sections whose keys are read; TinyTroupe keeps its keys in [OpenAI].</summary>
    public static readonly string[] Sections = ["OpenAI", "LlmTools", PricesSection];
}

/// <summary>Environment variables the settings loader reads.</summary>
public static class EnvironmentVariables
{
    /// <summary>Key for OpenAI.</summary>
    public const string OpenAIApiKey = "OPENAI_API_KEY";
    /// <summary>Endpoint for API_TYPE=openai.</summary>
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";
    /// <summary>PSOpenAI's and the old openai SDK's name for <see cref="OpenAIBaseUrl"/>; read when that one is not set.</summary>
    public const string OpenAIApiBase = "OPENAI_API_BASE";
    /// <summary>Endpoint for API_TYPE=azure.</summary>
    public const string AzureEndpoint = "AZURE_OPENAI_ENDPOINT";
    /// <summary>Key for Azure OpenAI.</summary>
    public const string AzureApiKey = "AZURE_OPENAI_API_KEY";
    /// <summary>TinyTroupe's name for the Azure key.</summary>
    public const string AzureApiKeyTinyTroupe = "AZURE_OPENAI_KEY";
    /// <summary>Path of the user config file.</summary>
    public const string ConfigPath = "LLMTOOLS_CONFIG";
    /// <summary>Overrides CACHE_DIR.</summary>
    public const string CacheDirectory = "LLMTOOLS_CACHE_DIR";
    /// <summary>Overrides CACHE_MODE.</summary>
    public const string CacheMode = "LLMTOOLS_CACHE_MODE";
    /// <summary>Overrides API_TYPE.</summary>
    public const string ApiType = "LLMTOOLS_API_TYPE";
    /// <summary>Overrides MODEL.</summary>
    public const string Model = "LLMTOOLS_MODEL";
    /// <summary>Overrides API_KEY_SECRET.</summary>
    public const string ApiKeySecret = "LLMTOOLS_API_KEY_SECRET";
}

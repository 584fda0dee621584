using LlmTools.Engine.Spending;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Configuration;

/// <summary>Which wire dialect and authentication the client speaks.</summary>
public enum ProviderKind
{
    /// <summary>OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio, LiteLLM, Azure's /openai/v1/).</summary>
    OpenAI,

    /// <summary>Azure OpenAI deployments (api-version, api-key or Microsoft Entra ID).</summary>
    Azure,
}

/// <summary>
/// Fully resolved, immutable settings for one cmdlet invocation: config.ini layers, environment and parameters
/// already merged, every cache decision already made. Built by <see cref="SettingsLoader"/>.
/// </summary>
public sealed record LlmSettings
{
    /// <summary>OpenAI (and compatible servers) or Azure.</summary>
    public ProviderKind Provider { get; init; } = ProviderKind.OpenAI;

    /// <summary>Base URL; null means api.openai.com for OpenAI. Required for Azure.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The key, or null (compatible servers need none; Azure then signs in with Microsoft Entra ID).</summary>
    public ApiSecret? ApiKey { get; init; }

    /// <summary>Chat model, or Azure deployment.</summary>
    public string Model { get; init; } = "gpt-4.1-mini"; // why not gpt-4o-mini: it is near its shutdown date; gpt-4.1-mini takes the same requests (not a reasoning model)

    /// <summary>Embedding model, or Azure deployment.</summary>
    public string EmbeddingModel { get; init; } = "text-embedding-3-small";

    /// <summary>Sampling defaults from config.ini with the parameters over them.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    /// <summary>The longest the server may stay silent: a whole answer, or the wait for each chunk of a stream.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay (TinyTroupe's WAITING_TIME); multiplied by <see cref="BackoffFactor"/> per retry.</summary>
    public TimeSpan WaitingTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Growth of the retry delay per attempt.</summary>
    public double BackoffFactor { get; init; } = 2;

    /// <summary>Upper bound of any single retry delay, Retry-After included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests per minute to pace to (REQUESTS_PER_MINUTE, -RequestsPerMinute); null learns the limit from the server.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens per minute to pace to (TOKENS_PER_MINUTE, -TokensPerMinute); null learns the limit from the server.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>
    /// How long one request may wait for rate-limit quota, in total, once the server has refused it (RATE_LIMIT_WAIT).
    /// Refusals count against this, not against <see cref="MaxAttempts"/>.
    /// </summary>
    public TimeSpan RateLimitWait { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How this call uses the response cache, or null when it does not: decided once from -Cache, -NoCache,
    /// CACHE_API_CALLS and CACHE_MODE by <see cref="SettingsLoader"/>.
    /// </summary>
    public CacheMode? Cache { get; init; }

    /// <summary>The CACHE_MODE in effect (for Get-LlmConfig), whether or not this call uses the cache at all (see <see cref="Cache"/>).</summary>
    public CacheMode CacheMode { get; init; } = CacheMode.ReadWrite;

    /// <summary>True in replay mode: answers come only from the cache and nothing may touch the network.</summary>
    public bool IsReplay => Cache == CacheMode.Replay;

    /// <summary>TinyTroupe's pickle cache file name; read so its config loads, never used.</summary>
    public string? CacheFileName { get; init; }

    /// <summary>Azure OpenAI api-version, sent as given.</summary>
    public string AzureApiVersion { get; init; } = "2024-10-21";

    /// <summary>The cache folder, absolute (a relative CACHE_DIR is taken from the PowerShell location).</summary>
    public string CacheDirectory { get; init; } = CacheLocation.Default();

    /// <summary>Entries older than this are misses; null keeps them forever.</summary>
    public TimeSpan? CacheTtl { get; init; }

    /// <summary>Why the environment's key is not used for this endpoint (<see cref="KeyPolicy"/>), for -Verbose; null when it is.</summary>
    public string? KeyNote { get; init; }

    /// <summary>The service tier requests ask for (SERVICE_TIER, -ServiceTier): auto, default, flex or priority; null: the project's.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The API chat requests travel by (API, -Api): Chat Completions unless asked.</summary>
    public ChatApi Api { get; init; } = ChatApi.ChatCompletions;

    /// <summary>What the requests of this PowerShell session may spend in all (TOKEN_BUDGET, COST_BUDGET).</summary>
    public BudgetLimits SessionBudget { get; init; } = BudgetLimits.None;

    /// <summary>What this one command may spend (-TokenBudget, -CostBudget).</summary>
    public BudgetLimits CommandBudget { get; init; } = BudgetLimits.None;

    /// <summary>Per-model prices from [Prices] of the config files, winning over the shipped table; with the file that set each.</summary>
    public IReadOnlyDictionary<string, (ModelPrice Price, string Source)> Prices { get; init; } = new Dictionary<string, (ModelPrice, string)>();

    /// <summary>Proxy for every request; null lets HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the .NET default) decide.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>
    /// Name of a SecretManagement secret that holds the key, used when no key was given otherwise. The engine never
    /// reads it (it has no PowerShell); the module does, through Get-Secret, and puts the key in <see cref="ApiKey"/>.
    /// </summary>
    public string? ApiKeySecretName { get; init; }

    /// <summary>Things about the settings the user should hear of (a named user config file that does not exist).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Where each key's value came from ("config.ini path", "environment variable X", "parameter"): for -Verbose.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();
}

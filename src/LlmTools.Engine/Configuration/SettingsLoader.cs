using LlmTools.Engine.Spending;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Configuration;

/// <summary>
/// Builds <see cref="LlmSettings"/> from the layers of DESIGN.md, later wins: module config.ini &lt; user file &lt;
/// ./config.ini &lt; environment &lt; cmdlet parameters. Every decision that depends on more than one layer is made here.
/// </summary>
public static class SettingsLoader
{
    /// <summary>Resolves the settings of one cmdlet call; a bad value throws <see cref="InvalidConfigurationException"/>.</summary>
    public static LlmSettings Load(SettingsSources sources, SettingsOverrides? overrides = null)
    {
        overrides ??= new SettingsOverrides();
        var (layers, read, local) = LoadLocal(sources, checkKeys: true);
        var provider = overrides.Provider ?? read.Enum<ProviderKind>(ConfigKeys.ApiType) ?? ProviderKind.OpenAI;

        // why: which environment variables name the endpoint and key depends on the provider just resolved;
        // OPENAI_API_BASE (PSOpenAI, the old openai SDK) only when OPENAI_BASE_URL is not set, as those tools do
        if (provider == ProviderKind.Azure)
        {
            layers.AddEnvironment(sources.Environment, EnvironmentVariables.AzureEndpoint, ConfigKeys.Endpoint);
        }
        else
        {
            layers.AddEnvironment(sources.Environment, EnvironmentVariables.OpenAIApiBase, ConfigKeys.Endpoint);
            layers.AddEnvironment(sources.Environment, EnvironmentVariables.OpenAIBaseUrl, ConfigKeys.Endpoint);
        }

        var defaults = new LlmSettings();
        var given = overrides.Sampling;
        var environmentKey = overrides.ApiKey is null ? ReadApiKey(provider, sources.Environment) : null;
        var serviceTier = overrides.ServiceTier ?? read.OneOf(ConfigKeys.ServiceTier, "auto", "default", "flex", "priority");
        var settings = local with
        {
            Provider = provider,
            Endpoint = overrides.Endpoint ?? read.AbsoluteUri(ConfigKeys.Endpoint),
            ApiKey = overrides.ApiKey ?? KeyPolicy.EnvironmentKeyFor(environmentKey, overrides.Endpoint, ConfiguredEndpoint(layers, provider)),
            // why the same rule as the environment's key: the vault's key belongs to the configured endpoint too
            ApiKeySecretName = KeyPolicy.BelongsTo(overrides.Endpoint, ConfiguredEndpoint(layers, provider)) ? read.String(ConfigKeys.ApiKeySecret) : null,
            Proxy = overrides.Proxy ?? read.AbsoluteUri(ConfigKeys.Proxy),
            Model = overrides.Model ?? local.Model,
            EmbeddingModel = overrides.EmbeddingModel ?? local.EmbeddingModel,
            // why each config value only when its parameter is absent: -Verbose then names the source that was used
            Sampling = given with
            {
                MaxTokens = given.MaxTokens ?? read.Int(ConfigKeys.MaxTokens, 1, 10_000_000),
                Temperature = given.Temperature ?? read.Float(ConfigKeys.Temperature, 0, 2),
                TopP = given.TopP ?? read.Float(ConfigKeys.TopP, 0, 1),
                FrequencyPenalty = given.FrequencyPenalty ?? read.Float(ConfigKeys.FrequencyPenalty, -2, 2),
                PresencePenalty = given.PresencePenalty ?? read.Float(ConfigKeys.PresencePenalty, -2, 2),
                // why no config keys for -ReasoningEffort and -Verbosity: TinyTroupe's REASONING_EFFORT is meant for its
                // REASONING_MODEL only, and read as ours it would go to every request of MODEL
            },
            ServiceTier = serviceTier,
            Api = overrides.Api ?? read.Enum<ChatApi>(ConfigKeys.Api) ?? defaults.Api,
            // why flex waits longer: OpenAI answers flex requests when it has room, and advises a 15-minute timeout
            Timeout = overrides.Timeout ?? Longest(read.Seconds(ConfigKeys.Timeout, 0.01, 86_400) ?? defaults.Timeout, serviceTier == "flex" ? FlexTimeout : TimeSpan.Zero),
            MaxAttempts = overrides.MaxAttempts ?? read.Int(ConfigKeys.MaxAttempts, 1, 100) ?? defaults.MaxAttempts,
            WaitingTime = read.Seconds(ConfigKeys.WaitingTime, 0, 3_600) ?? defaults.WaitingTime,
            BackoffFactor = read.Double(ConfigKeys.BackoffFactor, 1, 100) ?? defaults.BackoffFactor,
            MaxRetryDelay = read.Seconds(ConfigKeys.MaxRetryDelay, 0, 3_600) ?? defaults.MaxRetryDelay,
            RequestsPerMinute = overrides.RequestsPerMinute ?? read.Int(ConfigKeys.RequestsPerMinute, 1, 100_000_000),
            TokensPerMinute = overrides.TokensPerMinute ?? read.Int(ConfigKeys.TokensPerMinute, 1, 2_000_000_000),
            RateLimitWait = read.Seconds(ConfigKeys.RateLimitWait, 0, 7 * 86_400) ?? defaults.RateLimitWait,
            SessionBudget = new(read.Long(ConfigKeys.TokenBudget, 1, long.MaxValue / 4), read.Decimal(ConfigKeys.CostBudget, 0, 1_000_000_000m)),
            CommandBudget = overrides.Budget ?? BudgetLimits.None,
            Prices = read.Prices(),
            Cache = CacheUse(read, overrides),
            CacheMode = overrides.CacheMode ?? read.Enum<CacheMode>(ConfigKeys.CacheMode) ?? CacheMode.ReadWrite,
            CacheFileName = read.String(ConfigKeys.CacheFileName),
            AzureApiVersion = overrides.ApiVersion ?? read.String(ConfigKeys.AzureApiVersion) ?? defaults.AzureApiVersion,
        };

        // why: the models were read before the parameters were looked at; a parameter's value is no file's
        if (overrides.Model is not null)
        {
            read.UsedSources.Remove(ConfigKeys.Model);
        }

        if (overrides.EmbeddingModel is not null)
        {
            read.UsedSources.Remove(ConfigKeys.EmbeddingModel);
        }

        return settings with
        {
            Sources = read.UsedSources,
            KeyNote = KeyPolicy.WithheldNote(environmentKey, settings.ApiKey, ConfiguredEndpoint(layers, provider)),
        };
    }

    private static readonly TimeSpan FlexTimeout = TimeSpan.FromMinutes(15);

    private static TimeSpan Longest(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    /// <summary>
    /// The settings an offline cmdlet needs (models for token counts, the cache folder and time-to-live), read and
    /// checked alone. Why: a bad TEMPERATURE or TIMEOUT must not stop Measure-LlmTokens or Get-LlmCache, which never
    /// send a request; the other keys keep their defaults here.
    /// </summary>
    public static LlmSettings LoadOffline(SettingsSources sources)
    {
        var (_, read, local) = LoadLocal(sources, checkKeys: false); // why: a typo in a key the command never reads must not stop it
        return local with { Sources = read.UsedSources };
    }

    private static (ConfigLayers Layers, SettingsParser Read, LlmSettings Local) LoadLocal(SettingsSources sources, bool checkKeys)
    {
        var layers = new ConfigLayers { CheckKeys = checkKeys };
        layers.AddIniFile(sources.ModuleConfigPath);
        layers.AddIniFile(sources.UserConfigPath);
        layers.AddIniFile(sources.WorkingConfigPath);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.ApiType, ConfigKeys.ApiType);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.Model, ConfigKeys.Model);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.CacheDirectory, ConfigKeys.CacheDirectory);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.CacheMode, ConfigKeys.CacheMode);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.ApiKeySecret, ConfigKeys.ApiKeySecret);

        var read = new SettingsParser(layers);
        var defaults = new LlmSettings();
        var local = new LlmSettings
        {
            Model = read.String(ConfigKeys.Model) ?? defaults.Model,
            EmbeddingModel = read.String(ConfigKeys.EmbeddingModel) ?? defaults.EmbeddingModel,
            CacheDirectory = ExpandPath(read.String(ConfigKeys.CacheDirectory), sources.WorkingDirectory) ?? defaults.CacheDirectory,
            CacheTtl = read.Seconds(ConfigKeys.CacheTtl, 1, 100 * 365 * 86_400.0),
            Notices = Notices(sources),
        };
        return (layers, read, local);
    }

    // why: a user config file named on purpose and missing is a typo or a moved file, and its settings silently not applying is worse than a word
    private static string[] Notices(SettingsSources sources) =>
        sources.Environment(EnvironmentVariables.ConfigPath) is { Length: > 0 } named && !File.Exists(named)
            ? [$"The environment variable {EnvironmentVariables.ConfigPath} names '{named}', which does not exist; its settings are not applied."]
            : [];

    /// <summary>
    /// The one place that decides whether and how a call uses the cache: -NoCache bypasses it, -Cache or
    /// CACHE_API_CALLS turns it on, replay always needs it (so replay with -NoCache cannot work).
    /// </summary>
    private static CacheMode? CacheUse(SettingsParser read, SettingsOverrides overrides)
    {
        var mode = overrides.CacheMode ?? read.Enum<CacheMode>(ConfigKeys.CacheMode) ?? CacheMode.ReadWrite;
        var wanted = overrides.UseCache ?? read.Bool(ConfigKeys.CacheApiCalls) ?? false;
        if (mode == CacheMode.Replay && overrides.UseCache == false)
        {
            throw new InvalidConfigurationException(
                "CACHE_MODE is replay, which answers only from the cache, and -NoCache turns the cache off. Drop -NoCache or pass -CacheMode ReadWrite.",
                overrides.CacheMode is not null ? "parameter -CacheMode" : read.SourceOf(ConfigKeys.CacheMode),
                ConfigKeys.CacheMode);
        }

        return wanted || mode == CacheMode.Replay ? mode : null;
    }

    /// <summary>
    /// The endpoint the environment's key was configured for: ENDPOINT from a file or OPENAI_BASE_URL /
    /// AZURE_OPENAI_ENDPOINT, else api.openai.com for OpenAI. Read raw, so an -Endpoint that replaces a bad value still works.
    /// </summary>
    private static Uri? ConfiguredEndpoint(ConfigLayers layers, ProviderKind provider) =>
        layers.Values.TryGetValue(ConfigKeys.Endpoint, out var entry) && entry.Value.Length > 0
            ? (Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) ? uri : null)
            : provider == ProviderKind.OpenAI ? Providers.ProviderEndpoint.OpenAIDefault : null;

    private static ApiSecret? ReadApiKey(ProviderKind provider, Func<string, string?> environment)
    {
        string[] variables = provider == ProviderKind.Azure
            ? [EnvironmentVariables.AzureApiKey, EnvironmentVariables.AzureApiKeyTinyTroupe]
            : [EnvironmentVariables.OpenAIApiKey];
        foreach (var variable in variables)
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return new ApiSecret(value) { Source = $"environment variable {variable}" };
            }
        }

        return null;
    }

    // why: "~/x" means home as in a shell; a relative path means the PowerShell location, as for any other cmdlet
    private static string? ExpandPath(string? path, string workingDirectory) => path switch
    {
        null => null,
        ['~', ..] => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/', '\\')),
        _ => Path.GetFullPath(path, workingDirectory),
    };
}

/// <summary>Values given as cmdlet parameters: the last and strongest layer. Null means "not given".</summary>
public sealed record SettingsOverrides
{
    /// <summary>-Provider.</summary>
    public ProviderKind? Provider { get; init; }

    /// <summary>-Endpoint.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>-ApiKey.</summary>
    public ApiSecret? ApiKey { get; init; }

    /// <summary>-Proxy.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>-Api: the API chat requests travel by.</summary>
    public ChatApi? Api { get; init; }

    /// <summary>-ServiceTier: auto, default, flex or priority (lowercase).</summary>
    public string? ServiceTier { get; init; }

    /// <summary>-TokenBudget and -CostBudget: what this one command may spend.</summary>
    public BudgetLimits? Budget { get; init; }

    /// <summary>-ApiVersion (Azure).</summary>
    public string? ApiVersion { get; init; }

    /// <summary>-Model of Send-LlmMessage.</summary>
    public string? Model { get; init; }

    /// <summary>-Model of Get-LlmEmbedding.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>-MaxTokens, -Temperature, -TopP, -FrequencyPenalty, -PresencePenalty, -Stop, -Seed; each over its config value.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    /// <summary>-TimeoutSec.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>-MaxAttempts.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>-RequestsPerMinute.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>-TokensPerMinute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>-CacheMode.</summary>
    public CacheMode? CacheMode { get; init; }

    /// <summary>True for -Cache (or a cmdlet that always caches), false for -NoCache, null to follow CACHE_API_CALLS.</summary>
    public bool? UseCache { get; init; }
}

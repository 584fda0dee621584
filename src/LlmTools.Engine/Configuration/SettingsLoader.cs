namespace LlmTools.Engine.Configuration;

/// <summary>
/// Builds <see cref="LlmSettings"/> from the layers of DESIGN.md, later wins: module config.ini &lt; user file &lt;
/// ./config.ini &lt; environment &lt; cmdlet parameters.
/// </summary>
public static class SettingsLoader
{
    public static LlmSettings Load(SettingsSources sources, SettingsOverrides? overrides = null)
    {
        overrides ??= new SettingsOverrides();
        var layers = new ConfigLayers();
        layers.AddIniFile(sources.ModuleConfigPath);
        layers.AddIniFile(sources.UserConfigPath);
        layers.AddIniFile(sources.WorkingConfigPath);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.ApiType, ConfigKeys.ApiType);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.Model, ConfigKeys.Model);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.CacheDirectory, ConfigKeys.CacheDirectory);
        layers.AddEnvironment(sources.Environment, EnvironmentVariables.CacheMode, ConfigKeys.CacheMode);

        var read = new SettingsParser(layers);
        var provider = overrides.Provider ?? read.Enum<ProviderKind>(ConfigKeys.ApiType) ?? ProviderKind.OpenAI;

        // why: which environment variables name the endpoint and key depends on the provider just resolved
        layers.AddEnvironment(sources.Environment, provider == ProviderKind.Azure ? EnvironmentVariables.AzureEndpoint : EnvironmentVariables.OpenAIBaseUrl, ConfigKeys.Endpoint);

        var defaults = new LlmSettings();
        var settings = new LlmSettings
        {
            Provider = provider,
            Endpoint = overrides.Endpoint ?? read.AbsoluteUri(ConfigKeys.Endpoint),
            ApiKey = overrides.ApiKey ?? ReadApiKey(provider, sources.Environment),
            Model = overrides.Model ?? read.String(ConfigKeys.Model) ?? defaults.Model,
            EmbeddingModel = overrides.EmbeddingModel ?? read.String(ConfigKeys.EmbeddingModel) ?? defaults.EmbeddingModel,
            MaxTokens = overrides.MaxTokens ?? read.Int(ConfigKeys.MaxTokens, 1, 10_000_000),
            Temperature = overrides.Temperature ?? read.Float(ConfigKeys.Temperature, 0, 2),
            TopP = overrides.TopP ?? read.Float(ConfigKeys.TopP, 0, 1),
            FrequencyPenalty = overrides.FrequencyPenalty ?? read.Float(ConfigKeys.FrequencyPenalty, -2, 2),
            PresencePenalty = overrides.PresencePenalty ?? read.Float(ConfigKeys.PresencePenalty, -2, 2),
            Timeout = overrides.Timeout ?? read.Seconds(ConfigKeys.Timeout, 0.01, 86_400) ?? defaults.Timeout,
            MaxAttempts = overrides.MaxAttempts ?? read.Int(ConfigKeys.MaxAttempts, 1, 100) ?? defaults.MaxAttempts,
            WaitingTime = read.Seconds(ConfigKeys.WaitingTime, 0, 3_600) ?? defaults.WaitingTime,
            BackoffFactor = read.Double(ConfigKeys.BackoffFactor, 1, 100) ?? defaults.BackoffFactor,
            MaxRetryDelay = read.Seconds(ConfigKeys.MaxRetryDelay, 0, 3_600) ?? defaults.MaxRetryDelay,
            CacheApiCalls = overrides.CacheApiCalls ?? read.Bool(ConfigKeys.CacheApiCalls) ?? defaults.CacheApiCalls,
            CacheFileName = read.String(ConfigKeys.CacheFileName),
            AzureApiVersion = overrides.ApiVersion ?? read.String(ConfigKeys.AzureApiVersion) ?? defaults.AzureApiVersion,
            CacheDirectory = ExpandHome(read.String(ConfigKeys.CacheDirectory)) ?? defaults.CacheDirectory,
            CacheMode = overrides.CacheMode ?? read.Enum<CacheMode>(ConfigKeys.CacheMode) ?? defaults.CacheMode,
            CacheTtl = read.Seconds(ConfigKeys.CacheTtl, 1, 100 * 365 * 86_400.0),
        };

        return settings with { Sources = read.UsedSources };
    }

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

    private static string? ExpandHome(string? path) =>
        path is ['~', ..] ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/', '\\')) : path;
}

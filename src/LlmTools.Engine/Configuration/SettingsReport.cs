using System.Globalization;
using LlmTools.Engine.Providers;

namespace LlmTools.Engine.Configuration;

/// <summary>One effective setting as Get-LlmConfig shows it: never a secret, only where a secret came from.</summary>
/// <param name="Name">The config.ini key (or what the row is about, e.g. USER_CONFIG).</param>
/// <param name="Value">The value in effect, as text; empty when unset.</param>
/// <param name="Source">The file or environment variable that set it, "parameter", or "default".</param>
public sealed record SettingValue(string Name, string Value, string Source);

/// <summary>
/// The effective settings and where each came from, for Get-LlmConfig. Why in the engine: the layers and their
/// provenance live here, and the report must name the same sources the loader used.
/// </summary>
public static class SettingsReport
{
    /// <summary>Rows for <paramref name="settings"/>, loaded from <paramref name="sources"/>.</summary>
    public static IReadOnlyList<SettingValue> Describe(LlmSettings settings, SettingsSources sources)
    {
        string From(string key) => settings.Sources.TryGetValue(key, out var source) ? source : "default";
        static string Text(object? value) => value switch
        {
            null => string.Empty,
            TimeSpan span => span.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        var endpoint = ProviderEndpoint.From(settings).Display;
        var key = settings.ApiKey is { } secret ? $"set (from {secret.Source})" : settings.ApiKeySecretName is { } name ? $"secret '{name}' (SecretManagement)" : "none";
        var sampling = settings.Sampling;
        return
        [
            new(ConfigKeys.ApiType, settings.Provider.ToString(), From(ConfigKeys.ApiType)),
            new(ConfigKeys.Endpoint, settings.Endpoint is null && settings.Provider == ProviderKind.Azure ? string.Empty : endpoint, settings.Endpoint is null ? "default" : From(ConfigKeys.Endpoint)),
            new("API_KEY", key, settings.ApiKey?.Source ?? (settings.ApiKeySecretName is null ? "none" : From(ConfigKeys.ApiKeySecret))),
            new(ConfigKeys.Model, settings.Model, From(ConfigKeys.Model)),
            new(ConfigKeys.EmbeddingModel, settings.EmbeddingModel, From(ConfigKeys.EmbeddingModel)),
            new(ConfigKeys.AzureApiVersion, settings.AzureApiVersion, From(ConfigKeys.AzureApiVersion)),
            new(ConfigKeys.MaxTokens, Text(sampling.MaxTokens), From(ConfigKeys.MaxTokens)),
            new(ConfigKeys.Temperature, Text(sampling.Temperature), From(ConfigKeys.Temperature)),
            new(ConfigKeys.TopP, Text(sampling.TopP), From(ConfigKeys.TopP)),
            new(ConfigKeys.FrequencyPenalty, Text(sampling.FrequencyPenalty), From(ConfigKeys.FrequencyPenalty)),
            new(ConfigKeys.PresencePenalty, Text(sampling.PresencePenalty), From(ConfigKeys.PresencePenalty)),
            new(ConfigKeys.Timeout, Text(settings.Timeout), From(ConfigKeys.Timeout)),
            new(ConfigKeys.MaxAttempts, Text(settings.MaxAttempts), From(ConfigKeys.MaxAttempts)),
            new(ConfigKeys.WaitingTime, Text(settings.WaitingTime), From(ConfigKeys.WaitingTime)),
            new(ConfigKeys.BackoffFactor, Text(settings.BackoffFactor), From(ConfigKeys.BackoffFactor)),
            new(ConfigKeys.MaxRetryDelay, Text(settings.MaxRetryDelay), From(ConfigKeys.MaxRetryDelay)),
            new(ConfigKeys.Proxy, settings.Proxy is { } proxy ? Redacted(proxy) : string.Empty, settings.Proxy is null ? "default (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)" : From(ConfigKeys.Proxy)),
            new(ConfigKeys.ServiceTier, settings.ServiceTier ?? string.Empty, From(ConfigKeys.ServiceTier)),
            new(ConfigKeys.Api, Text(settings.Api), From(ConfigKeys.Api)),
            new(ConfigKeys.TokenBudget, Text(settings.SessionBudget.Tokens), From(ConfigKeys.TokenBudget)),
            new(ConfigKeys.CostBudget, Text(settings.SessionBudget.Cost), From(ConfigKeys.CostBudget)),
            .. settings.Prices.Select(p => new SettingValue($"PRICE {p.Key}", $"{Text(p.Value.Price.Input)}, {Text(p.Value.Price.CachedInput ?? p.Value.Price.Input)}, {Text(p.Value.Price.Output)}", p.Value.Source)),
            new(ConfigKeys.CacheApiCalls, Text(settings.Cache is not null), From(ConfigKeys.CacheApiCalls)),
            new(ConfigKeys.CacheMode, Text(settings.CacheMode), From(ConfigKeys.CacheMode)),
            new(ConfigKeys.CacheDirectory, settings.CacheDirectory, From(ConfigKeys.CacheDirectory)),
            new(ConfigKeys.CacheTtl, Text(settings.CacheTtl), From(ConfigKeys.CacheTtl)),
            new("MODULE_CONFIG", sources.ModuleConfigPath ?? string.Empty, FileState(sources.ModuleConfigPath)),
            new("USER_CONFIG", sources.UserConfigPath ?? string.Empty, FileState(sources.UserConfigPath)),
            new("LOCAL_CONFIG", sources.WorkingConfigPath ?? string.Empty, FileState(sources.WorkingConfigPath)),
        ];
    }

    private static string FileState(string? path) => path is not null && File.Exists(path) ? "found" : "not found";

    // why: a proxy URL may carry user:password
    private static string Redacted(Uri proxy) => string.IsNullOrEmpty(proxy.UserInfo)
        ? proxy.ToString()
        : new UriBuilder(proxy) { UserName = "***", Password = string.Empty }.Uri.ToString();
}

using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Configuration;

/// <summary>
/// Where an API key may go. A key belongs to the endpoint it was configured for: -ApiKey to this call's endpoint;
/// OPENAI_API_KEY to OPENAI_BASE_URL (or ENDPOINT in config.ini), else to api.openai.com; AZURE_OPENAI_API_KEY to
/// AZURE_OPENAI_ENDPOINT (or ENDPOINT). An -Endpoint elsewhere does not get the environment's key: pass -ApiKey for it.
/// Why: `-Endpoint http://some-host/v1` to try a server must not hand the company's OpenAI key to that host. A key is
/// also never sent in clear text to a host off this machine without a warning, and a key that would corrupt the
/// request (a line break adds a header; a non-ASCII character cannot be sent) is refused before anything is sent.
/// </summary>
public static class KeyPolicy
{
    /// <summary>
    /// <paramref name="environmentKey"/> when it belongs to the endpoint the call uses, else null. Only an -Endpoint
    /// parameter (<paramref name="parameterEndpoint"/>) can point elsewhere than <paramref name="configuredEndpoint"/>.
    /// </summary>
    public static ApiSecret? EnvironmentKeyFor(ApiSecret? environmentKey, Uri? parameterEndpoint, Uri? configuredEndpoint) =>
        BelongsTo(parameterEndpoint, configuredEndpoint) ? environmentKey : null;

    /// <summary>
    /// True when a configured key (the environment's, or the vault secret API_KEY_SECRET names) may go to the endpoint
    /// the call uses: always, unless an -Endpoint parameter points elsewhere than the configured endpoint.
    /// </summary>
    public static bool BelongsTo(Uri? parameterEndpoint, Uri? configuredEndpoint) =>
        parameterEndpoint is null || configuredEndpoint is null // why null configured: an Azure key with no endpoint anywhere has no other home
        || SameOrigin(parameterEndpoint, configuredEndpoint);

    /// <summary>The line -Verbose shows when the environment's key was kept from -Endpoint; null when it was not.</summary>
    public static string? WithheldNote(ApiSecret? environmentKey, ApiSecret? used, Uri? configuredEndpoint) =>
        environmentKey is not null && used is null
            ? $"The key in {environmentKey.Source["environment variable ".Length..]} is not sent to -Endpoint: it belongs to {configuredEndpoint?.GetLeftPart(UriPartial.Authority)}. Pass -ApiKey to send a key there."
            : null;

    /// <summary>A warning when <paramref name="settings"/> send a key in clear text (http) to a host that is not this machine.</summary>
    public static string? ClearTextWarning(LlmSettings settings) =>
        settings.ApiKey is { } key && settings.Endpoint is { } endpoint && endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback
            ? $"The key from {key.Source} is sent in clear text (http) to {endpoint.GetLeftPart(UriPartial.Authority)}; anyone on the network path can read it. Use https:// for that endpoint, or no key if the server needs none."
            : null;

    /// <summary>Says what the policy did for this call: a withheld key (-Verbose), a key in clear text (a warning, every call).</summary>
    public static void Report(LlmSettings settings, ILlmLog log)
    {
        if (settings.KeyNote is { } note)
        {
            log.Verbose(note);
        }

        if (ClearTextWarning(settings) is { } warning)
        {
            log.Warning(warning);
        }
    }

    /// <summary>Throws when <paramref name="key"/> cannot be sent as a header value; the message names where it came from, never the key.</summary>
    public static void EnsureSendable(ApiSecret? key)
    {
        var value = key?.Reveal();
        if (value is null)
        {
            return;
        }

        var bad = value.IndexOfAny(['\r', '\n']);
        var what = "a line break";
        if (bad < 0)
        {
            bad = value.AsSpan().IndexOfAnyExceptInRange((char)0x20, (char)0x7E);
            what = "a character that is not printable ASCII";
        }

        if (bad >= 0)
        {
            throw new LlmException(
                LlmErrorId.InvalidConfiguration,
                $"The key from {key!.Source} has {what} at position {bad + 1}; API keys are printable ASCII. Copy the key again (a paste can bring a line break or a typographic character).");
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase) && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}

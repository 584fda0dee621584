using System.Management.Automation;
using System.Net;
using System.Security;
using LlmTools.Engine.Catalog;
using LlmTools.Engine.Configuration;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// The parameters that pick and reach the provider (who, where, which key, how long to wait, how often to try), shared
/// by every cmdlet that talks to it. Why apart from <see cref="LlmProviderCmdletBase"/>: Get-LlmModel makes one
/// request and has no use for pacing, budgets, concurrency or the response cache.
/// </summary>
public abstract class LlmConnectionCmdletBase : LlmCmdletBase
{
    /// <summary>OpenAI (also any OpenAI-compatible server) or Azure; default API_TYPE from config.ini.</summary>
    [Parameter]
    [ValidateSet("OpenAI", "Azure", IgnoreCase = true)]
    public string? Provider { get; set; }

    /// <summary>Base URL of the server, e.g. http://localhost:11434/v1 or https://contoso.openai.azure.com/.</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateHttpUrl]
    public Uri? Endpoint { get; set; }

    /// <summary>Proxy for the requests, e.g. http://proxy:8080; default PROXY from config.ini, else HTTPS_PROXY / HTTP_PROXY.</summary>
    [Parameter]
    [ValidateNotNull]
    [ValidateHttpUrl]
    public Uri? Proxy { get; set; }

    /// <summary>API key as SecureString or string; default from OPENAI_API_KEY / AZURE_OPENAI_API_KEY.</summary>
    [Parameter]
    [ApiKeyTransformation]
    public SecureString? ApiKey { get; set; }

    /// <summary>Azure OpenAI api-version; default AZURE_API_VERSION from config.ini.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApiVersion { get; set; }

    /// <summary>Seconds the server may stay silent (a whole answer, or each piece of a stream); default TIMEOUT from config.ini.</summary>
    [Parameter]
    [ValidateRange(0.01, 86400)]
    public double? TimeoutSec { get; set; }

    /// <summary>Attempts per request, the first included; default MAX_ATTEMPTS from config.ini.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int? MaxAttempts { get; set; }

    /// <summary>The connection parameters as the strongest settings layer.</summary>
    internal SettingsOverrides ConnectionOverrides() => new()
    {
        Provider = Provider is null ? null : Enum.Parse<ProviderKind>(Provider, ignoreCase: true),
        Endpoint = Endpoint,
        Proxy = Proxy,
        ApiKey = ApiKey is null || ApiKey.Length == 0 ? null : new ApiSecret(new NetworkCredential(string.Empty, ApiKey).Password) { Source = "parameter -ApiKey" },
        ApiVersion = ApiVersion,
        Timeout = TimeoutSec is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        MaxAttempts = MaxAttempts,
    };

    /// <summary>
    /// Warns, once per session and model, when <paramref name="model"/> is shut down by its provider within 90 days
    /// (or was already). Why a warning and not an error: the date may move, and the request may still be answered.
    /// </summary>
    internal void WarnIfRetiring(string model, LlmSettings settings)
    {
        if (Retirement.WarningFor(model, settings) is { } due && Sessions.FirstNotice(due.Key))
        {
            WriteWarning(due.Warning);
        }
    }
}

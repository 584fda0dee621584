using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using OpenAI;

namespace LlmTools.Engine.Providers;

/// <summary>Builds the SDK client a settings object asks for. SDK retries are off: Resilience/ owns retries.</summary>
public static class LlmClientFactory
{
    public static readonly Uri OpenAIDefaultEndpoint = new("https://api.openai.com/v1");

    /// <summary>What makes two clients interchangeable: provider, endpoint, credential and api-version.</summary>
    public static string ClientKey(LlmSettings settings) => string.Join(
        "|",
        settings.Provider,
        settings.Endpoint?.AbsoluteUri ?? OpenAIDefaultEndpoint.AbsoluteUri,
        settings.ApiKey?.Fingerprint() ?? "no-key",
        settings.Provider == ProviderKind.Azure ? settings.AzureApiVersion : string.Empty);

    /// <summary>Creates a client; a missing key or endpoint is an <see cref="LlmException"/> that says how to fix it.</summary>
    /// <remarks>
    /// Why no optional TokenCredential here: the cmdlet assembly calls this from PowerShell's default load
    /// context, where Azure.Core does not exist; a third-party type in this signature would fail to load there.
    /// </remarks>
    public static ILlmClient Create(LlmSettings settings) =>
        settings.Provider == ProviderKind.Azure ? CreateAzure(settings, null) : CreateOpenAI(settings);

    private static ILlmClient CreateOpenAI(LlmSettings settings)
    {
        var endpoint = settings.Endpoint ?? OpenAIDefaultEndpoint;
        var options = new OpenAIClientOptions { Endpoint = endpoint };
        Configure(options);
        ApiKeyCredential credential;
        if (settings.ApiKey is { } key)
        {
            credential = new ApiKeyCredential(key.Reveal());
        }
        else if (IsOpenAIHost(endpoint))
        {
            throw new LlmException(
                LlmErrorId.ApiKeyMissing,
                $"No API key for {endpoint.Host}. Set the environment variable {EnvironmentVariables.OpenAIApiKey} (for example in your profile: $env:{EnvironmentVariables.OpenAIApiKey} = '<key>') or pass -ApiKey. Keys never go in config.ini.");
        }
        else
        {
            credential = new ApiKeyCredential("no-key");
            options.AddPolicy(PipelinePolicies.NoAuthorization(), PipelinePosition.BeforeTransport);
        }

        return new SdkLlmClient(new OpenAIClient(credential, options), ProviderName(settings), EndpointHost(settings));
    }

    /// <summary>An Azure client that signs in with <paramref name="tokenCredential"/> (Microsoft Entra ID) when no key is set.</summary>
    public static ILlmClient CreateAzure(LlmSettings settings, TokenCredential? tokenCredential)
    {
        var endpoint = settings.Endpoint ?? throw new LlmException(
            LlmErrorId.InvalidConfiguration,
            $"No Azure OpenAI endpoint. Set the environment variable {EnvironmentVariables.AzureEndpoint} (https://<resource>.openai.azure.com/), ENDPOINT in config.ini, or pass -Endpoint.");
        var options = new AzureOpenAIClientOptions();
        Configure(options);
        options.AddPolicy(PipelinePolicies.ApiVersion(settings.AzureApiVersion), PipelinePosition.PerCall);
        var client = settings.ApiKey is { } key
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(key.Reveal()), options)
            : new AzureOpenAIClient(endpoint, tokenCredential ?? new Azure.Identity.DefaultAzureCredential(), options);
        return new SdkLlmClient(client, ProviderName(settings), EndpointHost(settings));
    }

    private static void Configure(ClientPipelineOptions options)
    {
        options.RetryPolicy = new ClientRetryPolicy(0); // why: one retry layer, ours (Resilience/)
        options.NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan; // why: per-attempt timeouts are ours too
    }

    private static bool IsOpenAIHost(Uri endpoint) =>
        endpoint.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>OpenAI or Azure: the name output objects and cache entries carry.</summary>
    public static string ProviderName(LlmSettings settings) => settings.Provider.ToString();

    /// <summary>Host (and port, when not the default) of the endpoint: part of cache keys, safe to show.</summary>
    public static string EndpointHost(LlmSettings settings)
    {
        var endpoint = settings.Endpoint ?? OpenAIDefaultEndpoint;
        return endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
    }
}

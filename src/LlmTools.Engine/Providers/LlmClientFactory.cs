using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Pacing;
using OpenAI;

namespace LlmTools.Engine.Providers;

/// <summary>Who a session talks to, named once: the provider's name, the endpoint's host and how messages show it.</summary>
/// <param name="ProviderName">OpenAI or Azure: what output objects and cache entries carry.</param>
/// <param name="Uri">The endpoint.</param>
/// <param name="Host">Host (and port, when not the default): part of cache keys, safe to show.</param>
/// <param name="Display">The endpoint for messages: never with credentials or a query.</param>
public sealed record ProviderEndpoint(string ProviderName, Uri Uri, string Host, string Display)
{
    /// <summary>api.openai.com, when no endpoint is configured for OpenAI.</summary>
    public static readonly Uri OpenAIDefault = new("https://api.openai.com/v1");

    /// <summary>The endpoint <paramref name="settings"/> name.</summary>
    public static ProviderEndpoint From(LlmSettings settings)
    {
        var uri = settings.Endpoint ?? OpenAIDefault;
        return new(
            settings.Provider.ToString(),
            uri,
            uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty }.Uri.ToString());
    }
}

/// <summary>Builds the SDK client a settings object asks for. SDK retries are off: Resilience/ owns retries.</summary>
public static class LlmClientFactory
{
    // why: the scope Azure OpenAI's tokens are issued for (Microsoft Entra ID), for both routes
    private const string AzureScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>What makes two clients interchangeable: provider, endpoint, credential, api-version and proxy.</summary>
    public static string ClientKey(LlmSettings settings) => string.Join(
        "|",
        settings.Provider,
        (settings.Endpoint ?? ProviderEndpoint.OpenAIDefault).AbsoluteUri,
        settings.ApiKey?.Fingerprint() ?? "no-key",
        settings.Provider == ProviderKind.Azure && settings.Endpoint is { } azure && !IsAzureV1(azure) ? settings.AzureApiVersion : string.Empty,
        settings.Proxy?.AbsoluteUri ?? "default-proxy");

    /// <summary>
    /// The client of an engine session, which has named its endpoint already; a missing key or endpoint is an
    /// <see cref="LlmException"/> that says how to fix it.
    /// </summary>
    /// <remarks>
    /// Why no TokenCredential parameter: the cmdlet assembly calls into the engine from PowerShell's default load
    /// context, where Azure.Core does not exist; a third-party type in a signature it reaches would fail to load there.
    /// </remarks>
    internal static ILlmClient Create(LlmSettings settings, ProviderEndpoint endpoint)
    {
        KeyPolicy.EnsureSendable(settings.ApiKey);
        return settings.Provider == ProviderKind.Azure ? CreateAzure(settings, endpoint, null) : CreateOpenAI(settings, endpoint);
    }

    /// <summary>An Azure client that signs in with <paramref name="tokenCredential"/> (Microsoft Entra ID) when no key is set; null means DefaultAzureCredential.</summary>
    internal static ILlmClient CreateAzure(LlmSettings settings, ProviderEndpoint endpoint, TokenCredential? tokenCredential)
    {
        KeyPolicy.EnsureSendable(settings.ApiKey);
        if (settings.Endpoint is null)
        {
            throw new LlmException(
                LlmErrorId.InvalidConfiguration,
                $"No Azure OpenAI endpoint. Set the environment variable {EnvironmentVariables.AzureEndpoint} (https://<resource>.openai.azure.com/), ENDPOINT in config.ini, or pass -Endpoint.");
        }

        if (IsAzureV1(settings.Endpoint))
        {
            return CreateAzureV1(settings, endpoint, tokenCredential);
        }

        var options = new AzureOpenAIClientOptions();
        Configure(options, settings.Proxy);
        options.AddPolicy(new RequestEditPolicy(message => SetApiVersion(message, settings.AzureApiVersion)), PipelinePosition.PerCall);
        var client = settings.ApiKey is { } key
            ? new AzureOpenAIClient(settings.Endpoint, new ApiKeyCredential(key.Reveal()), options)
            : new AzureOpenAIClient(settings.Endpoint, tokenCredential ?? new Azure.Identity.DefaultAzureCredential(), options);
        return Wrap(client, endpoint, settings.ApiKey);
    }

    /// <summary>True for Azure OpenAI's v1 endpoint (https://resource.openai.azure.com/openai/v1/): no api-version, the deployment as the model.</summary>
    public static bool IsAzureV1(Uri endpoint) =>
        endpoint.AbsolutePath.TrimEnd('/').EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Azure's v1 API speaks OpenAI's own routes, so the OpenAI client serves it, with Azure's credentials: the key in
    /// the api-key header, or a Microsoft Entra ID token for the Cognitive Services scope.
    /// </summary>
    private static ILlmClient CreateAzureV1(LlmSettings settings, ProviderEndpoint endpoint, TokenCredential? tokenCredential)
    {
        var uri = settings.Endpoint!.AbsoluteUri.EndsWith('/') ? settings.Endpoint : new Uri(settings.Endpoint.AbsoluteUri + "/");
        var options = new OpenAIClientOptions { Endpoint = uri };
        Configure(options, settings.Proxy);
        OpenAIClient client;
        if (settings.ApiKey is { } key)
        {
            options.AddPolicy(
                new RequestEditPolicy(message =>
                {
                    message.Request.Headers.Remove("Authorization");
                    message.Request.Headers.Set("api-key", key.Reveal());
                }),
                PipelinePosition.BeforeTransport);
            client = new OpenAIClient(new ApiKeyCredential("api-key header"), options);
        }
        else
        {
            var credential = tokenCredential ?? new Azure.Identity.DefaultAzureCredential();
#pragma warning disable OPENAI001 // why: the SDK's one way to sign an OpenAIClient with a policy of its own; Azure's v1 docs use it
            client = new OpenAIClient(new EntraTokenPolicy(credential, AzureScope), options);
#pragma warning restore OPENAI001
        }

        return Wrap(client, endpoint, settings.ApiKey);
    }

    private static ILlmClient CreateOpenAI(LlmSettings settings, ProviderEndpoint endpoint)
    {
        var options = new OpenAIClientOptions { Endpoint = endpoint.Uri };
        Configure(options, settings.Proxy);
        ApiKeyCredential credential;
        if (settings.ApiKey is { } key)
        {
            credential = new ApiKeyCredential(key.Reveal());
        }
        else if (endpoint.Uri.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase))
        {
            throw new LlmException(
                LlmErrorId.ApiKeyMissing,
                $"No API key for {endpoint.Uri.Host}. Set the environment variable {EnvironmentVariables.OpenAIApiKey} (for example in your profile: $env:{EnvironmentVariables.OpenAIApiKey} = '<key>') or pass -ApiKey. Keys never go in config.ini.");
        }
        else
        {
            // why: the SDK insists on a key, but local servers (Ollama, vLLM) need none, and sending a made-up
            // bearer token to them is noise at best
            credential = new ApiKeyCredential("no-key");
            options.AddPolicy(new RequestEditPolicy(message => message.Request.Headers.Remove("Authorization")), PipelinePosition.BeforeTransport);
        }

        return Wrap(new OpenAIClient(credential, options), endpoint, settings.ApiKey);
    }

    private static SdkLlmClient Wrap(OpenAIClient client, ProviderEndpoint endpoint, ApiSecret? secret) =>
        new(client, new ProviderFailures(endpoint.Display, secret));

    private static void Configure(ClientPipelineOptions options, Uri? proxy)
    {
        // why our own transport: answers are capped in size (ResponseSizeCap), with the proxy the settings name
        options.Transport = new HttpClientPipelineTransport(ResponseSizeCap.Client(proxy));
        options.RetryPolicy = new ClientRetryPolicy(0); // why: one retry layer, ours (Resilience/)
        options.NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan; // why: the silence timeout is ours too
        options.AddPolicy(new ResponseEditPolicy(ReportRateLimits), PipelinePosition.BeforeTransport);
    }

    // why here: the HTTP pipeline sees the headers of every answer (success, refusal, stream) before the SDK hides them
    private static void ReportRateLimits(PipelineMessage message)
    {
        if (message.Response is { } response)
        {
            RateLimitCapture.Report(RateLimitSnapshot.From(name => response.Headers.TryGetValue(name, out var value) ? value : null));
        }
    }

    // why: Azure.AI.OpenAI's ServiceVersion enum knows only some versions, yet users (and TinyTroupe configs) name
    // others, e.g. 2023-05-15; the query value is replaced as given
    private static void SetApiVersion(PipelineMessage message, string apiVersion)
    {
        var uri = message.Request.Uri!;
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        query["api-version"] = apiVersion;
        message.Request.Uri = new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }

    private sealed class ResponseEditPolicy(Action<PipelineMessage> inspect) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            ProcessNext(message, pipeline, currentIndex);
            inspect(message);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
            inspect(message);
        }
    }

    private sealed class RequestEditPolicy(Action<PipelineMessage> edit) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            edit(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            edit(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}

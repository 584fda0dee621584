using Azure.Core;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Providers;
using LlmTools.TestServer;

namespace LlmTools.Engine.Tests.Providers;

public sealed class LlmClientFactoryTests : IAsyncLifetime
{
    private LoopbackLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Azure_without_a_key_signs_in_with_Entra_ID_and_refreshes_the_token()
    {
        var credential = new CountingCredential(lifetime: TimeSpan.FromMilliseconds(1));
        var settings = new LlmSettings { Provider = ProviderKind.Azure, Endpoint = _server.AzureEndpoint };
        var client = LlmClientFactory.CreateAzure(settings, ProviderEndpoint.From(settings), credential);

        await client.CompleteAsync(Request("dep"), TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(50);
        await client.CompleteAsync(Request("dep"), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("Bearer token-1", _server.Requests[0].Header("Authorization"));
        Assert.Equal("Bearer token-2", _server.Requests[1].Header("Authorization"));
        Assert.Null(_server.Requests[0].Header("api-key"));
        Assert.Equal("https://cognitiveservices.azure.com/.default", Assert.Single(credential.Scopes.Distinct()));
    }

    [Fact]
    public async Task Azure_v1_speaks_OpenAI_routes_with_the_key_in_api_key_and_no_api_version()
    {
        _server.RequiredKey = "azure-key";
        var settings = new LlmSettings { Provider = ProviderKind.Azure, Endpoint = new Uri(_server.BaseUri, "openai/v1"), ApiKey = new ApiSecret("azure-key") };
        var client = Client(settings);

        await client.CompleteAsync(Request("my-deployment"), TimeSpan.FromSeconds(30), CancellationToken.None);
        await client.EmbedAsync(["a text"], "my-embedding-deployment", null, TimeSpan.FromSeconds(30), CancellationToken.None);

        var (chat, embed) = (_server.Requests[0], _server.Requests[1]);
        Assert.Equal("/openai/v1/chat/completions", chat.Path);
        Assert.Equal("/openai/v1/embeddings", embed.Path);
        Assert.Equal("azure-key", chat.Header("api-key"));
        Assert.Null(chat.Header("Authorization"));
        Assert.Null(chat.QueryValue("api-version"));
        Assert.Equal("my-deployment", (string?)chat.Json!["model"]); // the deployment goes as the model, in the body
        Assert.Equal("my-embedding-deployment", (string?)embed.Json!["model"]);
    }

    [Fact]
    public async Task Azure_v1_without_a_key_signs_in_with_Entra_ID()
    {
        var credential = new CountingCredential(lifetime: TimeSpan.FromHours(1));
        var settings = new LlmSettings { Provider = ProviderKind.Azure, Endpoint = new Uri(_server.BaseUri, "openai/v1/") };

        await LlmClientFactory.CreateAzure(settings, ProviderEndpoint.From(settings), credential)
            .CompleteAsync(Request("dep"), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("/openai/v1/chat/completions", _server.Requests[0].Path);
        Assert.Equal("Bearer token-1", _server.Requests[0].Header("Authorization"));
        Assert.Equal("https://cognitiveservices.azure.com/.default", Assert.Single(credential.Scopes.Distinct()));
    }

    [Fact]
    public async Task Any_api_version_is_sent_as_configured()
    {
        var settings = new LlmSettings { Provider = ProviderKind.Azure, Endpoint = _server.AzureEndpoint, ApiKey = new ApiSecret("k"), AzureApiVersion = "2025-06-01-preview" };

        await Client(settings).CompleteAsync(Request("dep"), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("2025-06-01-preview", _server.Requests[0].QueryValue("api-version"));
    }

    [Fact]
    public void Api_openai_com_without_a_key_is_refused_before_any_request()
    {
        var ex = Assert.Throws<LlmException>(() => Client(new LlmSettings()));

        Assert.Equal(LlmErrorId.ApiKeyMissing, ex.ErrorId);
    }

    [Fact]
    public void Clients_differ_by_endpoint_credential_and_api_version_only()
    {
        var a = new LlmSettings { Endpoint = _server.OpenAIEndpoint, ApiKey = new ApiSecret("k1"), Model = "m1", Sampling = new() { Temperature = 1 } };

        Assert.Equal(LlmClientFactory.ClientKey(a), LlmClientFactory.ClientKey(a with { Model = "m2", Sampling = new() { Temperature = 0 } }));
        Assert.NotEqual(LlmClientFactory.ClientKey(a), LlmClientFactory.ClientKey(a with { ApiKey = new ApiSecret("k2") }));
        Assert.NotEqual(LlmClientFactory.ClientKey(a), LlmClientFactory.ClientKey(a with { Endpoint = new Uri("http://other/v1") }));
        Assert.DoesNotContain("k1", LlmClientFactory.ClientKey(a));
    }

    private static ILlmClient Client(LlmSettings settings) => LlmClientFactory.Create(settings, ProviderEndpoint.From(settings));

    private static ChatRequest Request(string model) => new() { Model = model, Messages = [ChatMessage.User("hi")] };

    private sealed class CountingCredential(TimeSpan lifetime) : TokenCredential
    {
        private int _issued;

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken($"token-{Interlocked.Increment(ref _issued)}", DateTimeOffset.UtcNow + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

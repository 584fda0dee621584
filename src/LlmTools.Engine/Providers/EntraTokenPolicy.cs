using System.ClientModel.Primitives;
using Azure.Core;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Signs requests to Azure's v1 API with a Microsoft Entra ID token (Authorization: Bearer), fetched once and again
/// five minutes before it expires. Why ours and not the SDK's BearerTokenPolicy: that one refuses every http endpoint,
/// a local proxy or a test server on this machine included; here only a host off this machine must be https, since a
/// token in clear text there is as good as a key.
/// </summary>
internal sealed class EntraTokenPolicy(TokenCredential credential, string scope) : AuthenticationPolicy
{
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var uri = message.Request.Uri!;
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new LlmException(
                LlmErrorId.InvalidConfiguration,
                $"A Microsoft Entra ID token is sent only over https, and {uri.GetLeftPart(UriPartial.Authority)} is plain http. Use the https endpoint of the resource.");
        }

        var token = await TokenAsync(message.CancellationToken).ConfigureAwait(false);
        message.Request.Headers.Set("Authorization", "Bearer " + token);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not { } token || token.ExpiresOn - RefreshBefore <= DateTimeOffset.UtcNow)
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
                _token = token;
            }

            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }
}

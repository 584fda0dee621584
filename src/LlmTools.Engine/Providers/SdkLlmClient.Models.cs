using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>The model list over the SDK: OpenAI's GET /models, or Azure's GET /openai/models for deployment-style endpoints.</summary>
internal sealed partial class SdkLlmClient : IModelLister
{
    private const string ListTarget = "the model list";

    public Task<IReadOnlyList<ListedModel>> ListModelsAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(ListTarget, timeout, cancellationToken, async token =>
        {
            BinaryData body;
            try
            {
                // why the raw body: ModelListJson keeps what the SDK's model type drops (Azure's capabilities, deprecation)
                body = client is Azure.AI.OpenAI.AzureOpenAIClient
                    ? await AzureModelsAsync(token).ConfigureAwait(false)
                    : (await client.GetOpenAIModelClient().GetModelsAsync(new RequestOptions { CancellationToken = token }).ConfigureAwait(false)).GetRawResponse().Content;
            }
            catch (ClientResultException ex) when (ex.Status == 404)
            {
                throw new LlmException(
                    LlmErrorId.ModelNotFound,
                    $"{failures.EndpointDisplay} has no model list (GET models answered 404). Check the endpoint (for compatible servers the base URL ending in /v1).",
                    404,
                    ex);
            }

            try
            {
                return ModelListJson.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new LlmException(LlmErrorId.InvalidResponse, $"{failures.EndpointDisplay} answered GET models, but not with a model list ({ex.Message}).", null, ex);
            }
        });

    /// <summary>
    /// GET {resource}/openai/models through the Azure client's own pipeline (its key or Entra ID token, the api-version
    /// policy, proxy and size cap). Why not its OpenAIModelClient: AzureOpenAIClient refuses it ("does not support the
    /// OpenAI model management API"), yet Azure's data-plane REST API lists the resource's base models with their
    /// deprecation dates (Models - List, GET {endpoint}/openai/models?api-version=2024-10-21).
    /// </summary>
    private async Task<BinaryData> AzureModelsAsync(CancellationToken cancellationToken)
    {
        using var message = client.Pipeline.CreateMessage();
        message.Request.Method = "GET";
        message.Request.Uri = new Uri(AzureBase(), "openai/models");
        message.Apply(new RequestOptions { CancellationToken = cancellationToken });
        await client.Pipeline.SendAsync(message).ConfigureAwait(false);
        var response = message.Response!;
        if (response.IsError)
        {
            throw await ClientResultException.CreateAsync(response).ConfigureAwait(false);
        }

        return response.Content;
    }

#pragma warning disable OPENAI001 // why: the SDK's only way to read the resource URL the Azure client was built with
    private Uri AzureBase() => client.Endpoint.AbsoluteUri.EndsWith('/') ? client.Endpoint : new Uri(client.Endpoint.AbsoluteUri + "/");
#pragma warning restore OPENAI001
}

using System.Runtime.CompilerServices;
using System.Text;
using LlmTools.Engine.Models;
using OpenAI;
using OpenAI.Chat;

namespace LlmTools.Engine.Providers;

/// <summary>
/// <see cref="ILlmClient"/> over the official SDK. One class serves OpenAI, compatible servers and Azure,
/// because AzureOpenAIClient is an OpenAIClient whose chat and embedding clients address deployments.
/// </summary>
internal sealed class SdkLlmClient(OpenAIClient client, string providerName, string endpointHost) : ILlmClient
{
    public string ProviderName => providerName;

    public string EndpointHost => endpointHost;

    public async Task<ChatResult> CompleteAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var chat = client.GetChatClient(request.Model);
        var completion = await chat.CompleteChatAsync(
            SdkChatMapping.ToSdkMessages(request.Messages), SdkChatMapping.ToSdkOptions(request), cancellationToken).ConfigureAwait(false);
        return SdkChatMapping.ToResult(completion.Value, request.Model);
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chat = client.GetChatClient(request.Model);
        var content = new StringBuilder();
        string? model = null, id = null, finishReason = null;
        TokenUsage? usage = null;
        var updates = chat.CompleteChatStreamingAsync(
            SdkChatMapping.ToSdkMessages(request.Messages), SdkChatMapping.ToSdkOptions(request), cancellationToken);
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            model ??= string.IsNullOrEmpty(update.Model) ? null : update.Model;
            id ??= update.CompletionId;
            if (update.FinishReason is { } reason)
            {
                finishReason = SdkChatMapping.FinishReasonText(reason);
            }

            if (update.Usage is { } u)
            {
                usage = new TokenUsage(u.InputTokenCount, u.OutputTokenCount, u.TotalTokenCount);
            }

            foreach (var part in update.ContentUpdate)
            {
                if (!string.IsNullOrEmpty(part.Text))
                {
                    content.Append(part.Text);
                    yield return ChatStreamUpdate.Delta(part.Text);
                }
            }
        }

        yield return ChatStreamUpdate.Done(new ChatResult
        {
            Content = content.ToString(),
            Model = model ?? request.Model,
            FinishReason = finishReason,
            Usage = usage,
            Id = id,
        });
    }

    public async Task<IReadOnlyList<float[]>> EmbedAsync(
        IReadOnlyList<string> inputs, string model, int? dimensions, CancellationToken cancellationToken)
    {
        var embeddings = client.GetEmbeddingClient(model);
        var options = new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = dimensions };
        var result = await embeddings.GenerateEmbeddingsAsync(inputs, options, cancellationToken).ConfigureAwait(false);

        // why: the API may answer out of order; each item carries its input index
        var vectors = new float[inputs.Count][];
        foreach (var item in result.Value)
        {
            vectors[item.Index] = item.ToFloats().ToArray();
        }

        return vectors;
    }
}

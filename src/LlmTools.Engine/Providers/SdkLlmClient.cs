using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Engine.Resilience;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace LlmTools.Engine.Providers;

/// <summary>
/// <see cref="ILlmClient"/> over the official SDK. One class serves OpenAI, compatible servers and Azure, because
/// AzureOpenAIClient is an OpenAIClient whose chat and embedding clients address deployments. Every SDK call is made
/// here, under the silence timer, and every failure is classified here, once.
/// </summary>
internal sealed partial class SdkLlmClient(OpenAIClient client, ProviderFailures failures) : ILlmClient
{
    // why: the SDK's per-model clients are thread-safe and share the connection pool; build each once per session
    private readonly ConcurrentDictionary<string, ChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmbeddingClient> _embeddingClients = new(StringComparer.Ordinal);

    /// <summary>The SDK client, for the Batch API's routes (Batches/), which go over its pipeline.</summary>
    internal OpenAIClient Sdk => client;

    /// <summary>How this client's failures are classified and redacted, for the Batch API's routes too.</summary>
    internal ProviderFailures Failures => failures;

    public Task<Models.ChatResult> CompleteAsync(ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        request.Wire.Api == ChatApi.Responses ? CompleteResponseAsync(request, timeout, cancellationToken) : CallAsync(request.Model, timeout, cancellationToken, async token =>
        {
            var completion = await Chat(request.Model).CompleteChatAsync(
                SdkChatMapping.ToSdkMessages(request.Messages, request.Model), SdkChatMapping.ToSdkOptions(request), token).ConfigureAwait(false);
            return SdkChatMapping.ToResult(completion.Value, request.Model);
        });

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(
        ChatRequest request, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (request.Wire.Api == ChatApi.Responses)
        {
            await foreach (var update in StreamResponseAsync(request, timeout, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        using var silence = new SilenceTimer(timeout, cancellationToken);
        var errorEvent = StreamErrorCapture.Begin();
        var content = new StringBuilder();
        string? model = null, id = null, finishReason = null;
        TokenUsage? usage = null;
        var toolCalls = new StreamedToolCalls();
        IAsyncEnumerator<StreamingChatCompletionUpdate> updates;
        try
        {
            updates = Chat(request.Model).CompleteChatStreamingAsync(
                SdkChatMapping.ToSdkMessages(request.Messages, request.Model), SdkChatMapping.ToSdkOptions(request), silence.Token).GetAsyncEnumerator(silence.Token);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            throw failures.Classify(ex, request.Model, silence);
        }

        await using (updates.ConfigureAwait(false))
        {
            while (await NextAsync(updates, request.Model, silence, cancellationToken, content).ConfigureAwait(false))
            {
                var update = updates.Current;
                model ??= string.IsNullOrEmpty(update.Model) ? null : update.Model;
                id ??= update.CompletionId;
                if (update.FinishReason is { } reason)
                {
                    finishReason = SdkChatMapping.FinishReasonText(reason);
                }

                if (update.Usage is { } u)
                {
                    usage = SdkChatMapping.ToUsage(u);
                }

                foreach (var call in update.ToolCallUpdates)
                {
                    toolCalls.Add(call.Index, call.ToolCallId, call.FunctionName, call.FunctionArgumentsUpdate?.ToString());
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
        }

        if (finishReason is null)
        {
            // why: a stream that just stops (a proxy's timeout, an error event) is not an answer, however much it said
            throw StreamIntegrity.Incomplete(failures.Redacted(StreamIntegrity.NoFinishReason(failures.EndpointDisplay, errorEvent.Message)), content);
        }

        // why Duration zero: the chat service owns the one clock and stamps it
        var result = new Models.ChatResult
        {
            Content = content.ToString(), Model = model ?? request.Model, FinishReason = finishReason, Usage = usage, Id = id, ToolCalls = toolCalls.Calls(),
        };
        yield return ChatStreamUpdate.Done(new ChatOutcome(result, Cached: false, TimeSpan.Zero));
    }

    public Task<EmbeddingAnswer> EmbedAsync(
        IReadOnlyList<string> inputs, string model, int? dimensions, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(model, timeout, cancellationToken, async token =>
        {
            var options = new EmbeddingGenerationOptions { Dimensions = dimensions };
            var result = await Embeddings(model).GenerateEmbeddingsAsync(inputs, options, token).ConfigureAwait(false);

            // why: the API may answer out of order; each item carries its input index
            var vectors = new float[inputs.Count][];
            foreach (var item in result.Value.Where(item => item.Index >= 0 && item.Index < inputs.Count))
            {
                vectors[item.Index] = item.ToFloats().ToArray();
            }

            return VectorCheck.Problem(vectors, dimensions) is { } problem
                ? throw new LlmException(LlmErrorId.InvalidResponse, $"{failures.EndpointDisplay} answered {problem} for '{model}'; nothing of this request was kept.")
                : new EmbeddingAnswer(vectors, result.Value.Usage?.InputTokenCount);
        });

    /// <summary>One plain call under the silence timer: its whole answer is one wait; a failure leaves classified.</summary>
    private async Task<T> CallAsync<T>(string target, TimeSpan timeout, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> call)
    {
        using var silence = new SilenceTimer(timeout, cancellationToken);
        try
        {
            return await call(silence.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            throw failures.Classify(ex, target, silence);
        }
    }

    /// <summary>
    /// Waits for the next update; only that wait counts as silence, not the time the caller holds a piece. A failure
    /// after text was shown is an incomplete answer that keeps the text, not a network error that loses it.
    /// </summary>
    private async Task<bool> NextAsync<T>(IAsyncEnumerator<T> updates, string target, SilenceTimer silence, CancellationToken cancellationToken, StringBuilder shown)
    {
        try
        {
            silence.Restart();
            var moved = await updates.MoveNextAsync().ConfigureAwait(false);
            silence.Pause();
            return moved;
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            throw StreamIntegrity.Incomplete(failures.Classify(ex, target, silence), shown);
        }
    }

    // why: only the caller's own cancellation leaves unclassified; everything else (a silence, a failure that raced
    // Ctrl+C) is classified and redacted
    private static bool IsCallerCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private ChatClient Chat(string model) => _chatClients.GetOrAdd(model, client.GetChatClient);

    private EmbeddingClient Embeddings(string model) => _embeddingClients.GetOrAdd(model, client.GetEmbeddingClient);
}

using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// The one seam between the engine and a provider's SDK: chat, streamed chat and embeddings, one attempt each
/// (retries belong to Resilience/). Every failure leaves as a classified, redacted <see cref="Diagnostics.LlmException"/>,
/// or as <see cref="OperationCanceledException"/> when the caller cancelled. Implementations are thread-safe and live
/// as long as their engine session.
/// </summary>
public interface ILlmClient
{
    /// <summary>One chat completion; <paramref name="timeout"/> is the longest the server may stay silent.</summary>
    Task<ChatResult> CompleteAsync(ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Text deltas as they arrive, then one completed update; the silence timer restarts with every chunk.</summary>
    IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>One vector per input, in input order, and the prompt tokens the server billed for the request.</summary>
    Task<EmbeddingAnswer> EmbedAsync(IReadOnlyList<string> inputs, string model, int? dimensions, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>The vectors of one embeddings request, in input order, and its usage.</summary>
/// <param name="Vectors">One vector per input.</param>
/// <param name="PromptTokens">Tokens the server billed for all inputs together; null when it did not say.</param>
public sealed record EmbeddingAnswer(IReadOnlyList<float[]> Vectors, int? PromptTokens);

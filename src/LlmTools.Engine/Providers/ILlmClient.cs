using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// The one seam between the engine and a provider's SDK: chat, streamed chat and embeddings, one attempt
/// each (retries belong to Resilience/, not here). Implementations are thread-safe and reused per session.
/// </summary>
public interface ILlmClient
{
    /// <summary>Provider name for output objects and messages: OpenAI, Azure.</summary>
    string ProviderName { get; }

    /// <summary>Host (and port) of the endpoint: part of the cache key, safe to show.</summary>
    string EndpointHost { get; }

    Task<ChatResult> CompleteAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>Text deltas as they arrive, then one <see cref="ChatStreamUpdate.Completed"/> result.</summary>
    IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>One vector per input, in input order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> inputs, string model, int? dimensions, CancellationToken cancellationToken);
}

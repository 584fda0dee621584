using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// A client that can list the provider's models (GET /models), one attempt, failures classified like every other call.
/// Why beside <see cref="ILlmClient"/> and not in it: listing is not a request the pipeline's services send, and the
/// seam for chat and embeddings stays as small as it was.
/// </summary>
public interface IModelLister
{
    /// <summary>The models the endpoint lists; <paramref name="timeout"/> is the longest the server may stay silent.</summary>
    Task<IReadOnlyList<ListedModel>> ListModelsAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

using System.ClientModel.Primitives;

namespace LlmTools.Engine.Providers;

/// <summary>Small SDK pipeline policies the providers need.</summary>
internal static class PipelinePolicies
{
    /// <summary>
    /// Replaces the api-version query value. Why: Azure.AI.OpenAI's ServiceVersion enum knows only
    /// 2024-06-01 .. 2025-04-01-preview, yet users (and TinyTroupe configs) name others, e.g. 2023-05-15.
    /// </summary>
    public static PipelinePolicy ApiVersion(string apiVersion) => new RequestEditPolicy(message =>
    {
        var uri = message.Request.Uri!;
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        query["api-version"] = apiVersion;
        message.Request.Uri = new UriBuilder(uri) { Query = query.ToString() }.Uri;
    });

    /// <summary>
    /// Drops the Authorization header. Why: the SDK insists on a key, but local servers (Ollama, vLLM) need
    /// none, and sending a made-up bearer token to them is noise at best.
    /// </summary>
    public static PipelinePolicy NoAuthorization() =>
        new RequestEditPolicy(message => message.Request.Headers.Remove("Authorization"));

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

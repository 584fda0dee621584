using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Providers;

/// <summary>
/// What the Responses API cannot carry, said once before any item is sent. Why here and not per request: every item of
/// the command would fail alike, and a message that says how to fix it beats a page of 400s.
/// </summary>
public static class ResponsesWire
{
    /// <summary>Null when <paramref name="settings"/> can go by the Responses API (or do not ask for it), else what is wrong and how to fix it.</summary>
    public static string? Problem(LlmSettings settings)
    {
        if (settings.Api != ChatApi.Responses)
        {
            return null;
        }

        if (settings.Provider == ProviderKind.Azure && settings.Endpoint is { } endpoint && !LlmClientFactory.IsAzureV1(endpoint))
        {
            return $"-Api Responses needs Azure OpenAI's v1 endpoint (https://<resource>.openai.azure.com/openai/v1/); '{endpoint.Host}' is set in the deployment style (api-version {settings.AzureApiVersion}), where this module sends Chat Completions only. Set the endpoint to .../openai/v1/ or use -Api ChatCompletions.";
        }

        // why not silently dropped: the answer would differ from what was asked, and the cache would keep it as if not
        var sampling = settings.Sampling;
        var unsupported = new (string Name, bool Given)[]
        {
            ("-Stop", sampling.Stop is { Count: > 0 }),
            ("-Seed", sampling.Seed is not null),
            ("-FrequencyPenalty (FREQ_PENALTY)", sampling.FrequencyPenalty is { } f && f != 0),
            ("-PresencePenalty (PRESENCE_PENALTY)", sampling.PresencePenalty is { } p && p != 0),
        }.Where(u => u.Given).Select(u => u.Name).ToList();
        return unsupported.Count == 0
            ? null
            : $"The Responses API has no {string.Join(", ", unsupported)}; leave {(unsupported.Count == 1 ? "it" : "them")} out or use -Api ChatCompletions.";
    }
}

namespace LlmTools.Engine.Providers;

/// <summary>
/// What a model family takes, decided in one place: reasoning models (o1, o3, o4, gpt-5) want max_completion_tokens
/// and developer messages and take reasoning_effort; gpt-5 also takes verbosity. Known older families take neither,
/// so asking for them is a mistake said before anything is sent; any other model (a deployment name, a local model)
/// gets what was asked, and its server decides.
/// </summary>
public static class ModelFamilies
{
    private static readonly string[] Reasoning = ["o1", "o3", "o4", "gpt-5"];
    private static readonly string[] WithoutReasoning = ["gpt-4", "gpt-3.5", "chatgpt-4o"];

    /// <summary>True for o1, o3, o4 and gpt-5 models (a provider prefix such as openai/ is looked through).</summary>
    public static bool IsReasoning(string model) => Name(model) is var name && Reasoning.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when <paramref name="model"/> may take these controls, else what is wrong and how to fix it.</summary>
    public static string? Problem(string model, string? reasoningEffort, string? verbosity)
    {
        var name = Name(model);
        var older = WithoutReasoning.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        if (reasoningEffort is { } effort)
        {
            if (older)
            {
                return $"'{model}' is not a reasoning model and takes no -ReasoningEffort; use one of o3, o4-mini or gpt-5, or leave it out.";
            }

            var gpt5 = name.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase);
            var allowed = !gpt5 ? ["low", "medium", "high"]
                : name.StartsWith("gpt-5.", StringComparison.OrdinalIgnoreCase) ? new[] { "none", "low", "medium", "high" }
                : ["minimal", "low", "medium", "high"];
            if (IsReasoning(model) && !allowed.Contains(effort, StringComparer.OrdinalIgnoreCase))
            {
                return $"'{model}' takes -ReasoningEffort {string.Join(", ", allowed)}, not {effort}.";
            }
        }

        if (verbosity is not null && (older || (IsReasoning(model) && !name.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase))))
        {
            return $"'{model}' takes no -Verbosity; gpt-5 models do.";
        }

        return null;
    }

    private static string Name(string model) => model[(model.LastIndexOf('/') + 1)..];
}

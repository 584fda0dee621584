namespace LlmTools.Engine.Models;

/// <summary>What a listed model is for, as far as its name (or Azure's capabilities) says.</summary>
public enum ModelKind
{
    /// <summary>Answers chat messages (Send-LlmMessage).</summary>
    Chat,

    /// <summary>Turns text into vectors (Get-LlmEmbedding).</summary>
    Embedding,

    /// <summary>Anything else: audio, images, moderation, legacy completions.</summary>
    Other,
}

/// <summary>One model a provider lists (GET /models).</summary>
/// <param name="Id">The model's name, as requests name it.</param>
/// <param name="OwnedBy">Who owns it (owned_by), when the server said.</param>
/// <param name="Created">When it was created, when the server said.</param>
/// <param name="Kind">Chat, embedding or other.</param>
/// <param name="Shutdown">When the provider stops serving it: Azure's deprecation date, else the shipped table's; null when unknown.</param>
public sealed record ListedModel(string Id, string? OwnedBy, DateTimeOffset? Created, ModelKind Kind, DateTimeOffset? Shutdown);

/// <summary>
/// Classifies model names. Why by name: GET /v1/models says nothing of what a model does (Azure's capabilities do, and
/// win when present); OpenAI's names follow stable families, and a compatible server's models are mostly chat models.
/// </summary>
public static class ModelKinds
{
    // why these: OpenAI's families that take neither chat messages nor texts to embed
    private static readonly string[] OtherFamilies =
    [
        "whisper", "tts", "dall-e", "gpt-image", "sora", "omni-moderation", "text-moderation", "babbage", "davinci",
        "gpt-3.5-turbo-instruct", "computer-use", "codex-mini",
    ];

    private static readonly string[] OtherParts = ["-realtime", "-audio", "-transcribe", "-tts", "-search-api", "moderation"];

    /// <summary>The kind <paramref name="id"/> names; a provider prefix (openai/) is looked through.</summary>
    public static ModelKind Of(string id)
    {
        var name = id[(id.LastIndexOf('/') + 1)..];
        if (name.Contains("embed", StringComparison.OrdinalIgnoreCase))
        {
            return ModelKind.Embedding;
        }

        return OtherFamilies.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase))
            || OtherParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase))
            ? ModelKind.Other
            : ModelKind.Chat;
    }
}

using LlmTools.Engine.Models;

namespace LlmTools.Output;

/// <summary>What Get-LlmModel writes: one model the provider lists.</summary>
public sealed class LlmModel
{
    /// <summary>The model's name, as -Model takes it.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Who owns it (owned_by): openai, system, your organization; empty when the server did not say.</summary>
    public string? OwnedBy { get; init; }

    /// <summary>When it was created; empty when the server did not say.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Chat, Embedding or Other, from Azure's capabilities or else the name.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>When the provider stops serving it (Azure's deprecation date, else OpenAI's deprecations page as shipped); empty when unknown.</summary>
    public DateTimeOffset? Shutdown { get; init; }

    /// <summary>OpenAI or Azure.</summary>
    public string Provider { get; init; } = string.Empty;

    /// <summary>The endpoint host that listed it.</summary>
    public string Host { get; init; } = string.Empty;

    internal static LlmModel From(ListedModel model, string provider, string host) => new()
    {
        Id = model.Id,
        OwnedBy = model.OwnedBy,
        Created = model.Created,
        Kind = model.Kind.ToString(),
        Shutdown = model.Shutdown,
        Provider = provider,
        Host = host,
    };
}

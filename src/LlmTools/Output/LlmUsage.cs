namespace LlmTools.Output;

/// <summary>What Get-LlmUsage writes: one model's totals for this PowerShell session.</summary>
public sealed class LlmUsage
{
    /// <summary>The model (or Azure deployment) the requests named.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Requests answered by the provider.</summary>
    public long Requests { get; init; }

    /// <summary>Answers that came from the cache, at no cost.</summary>
    public long CacheHits { get; init; }

    /// <summary>Prompt tokens.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens, reasoning tokens included.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Prompt tokens the provider served from its prompt cache (priced lower).</summary>
    public long CachedTokens { get; init; }

    /// <summary>Completion tokens a reasoning model spent thinking.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Prompt and completion tokens.</summary>
    public long TotalTokens { get; init; }

    /// <summary>US dollars at the model's price; empty (null) when the price is unknown, never guessed.</summary>
    public decimal? Cost { get; init; }

    internal static LlmUsage From(Engine.Spending.UsageTotals row) => new()
    {
        Model = row.Model,
        Requests = row.Requests,
        CacheHits = row.CacheHits,
        PromptTokens = row.PromptTokens,
        CompletionTokens = row.CompletionTokens,
        CachedTokens = row.CachedTokens,
        ReasoningTokens = row.ReasoningTokens,
        TotalTokens = row.TotalTokens,
        Cost = row.Cost,
    };
}

/// <summary>What -WhatIf writes for one item of Send-LlmMessage or Get-LlmEmbedding: what it would cost; nothing was sent.</summary>
public sealed class LlmCostEstimate
{
    /// <summary>Position of the item in the input (0-based).</summary>
    public int Index { get; init; }

    /// <summary>The model it names.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>Prompt tokens, counted offline exactly as the provider counts them.</summary>
    public int PromptTokens { get; init; }

    /// <summary>The most completion tokens (-MaxTokens, else the model's most); 0 for embeddings; empty when unknown.</summary>
    public int? CompletionCap { get; init; }

    /// <summary>True when the cache holds the answer: it would cost nothing.</summary>
    public bool Cached { get; init; }

    /// <summary>US dollars with an empty answer; empty when the price is unknown.</summary>
    public decimal? MinCost { get; init; }

    /// <summary>US dollars with the longest answer; empty when the price or the cap is unknown.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary>True when the prompt cannot fit the model's context window: it would fail without being sent.</summary>
    public bool TooLong { get; init; }

    /// <summary>The text it would send (the last user message).</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>The pipeline object it came from.</summary>
    [System.Management.Automation.Hidden]
    public object? InputObject { get; init; }
}

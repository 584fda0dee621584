using LlmTools.Engine.Models;

namespace LlmTools.Engine.Spending;

/// <summary>One model's totals in a <see cref="UsageLedger"/> (Get-LlmUsage writes one per model).</summary>
/// <param name="Model">The model (or Azure deployment) the requests named.</param>
/// <param name="Requests">Requests answered by the provider.</param>
/// <param name="CacheHits">Answers that came from the cache, free.</param>
/// <param name="PromptTokens">Prompt tokens of the requests.</param>
/// <param name="CompletionTokens">Completion tokens, reasoning tokens included.</param>
/// <param name="CachedTokens">Prompt tokens the provider served from its prompt cache.</param>
/// <param name="ReasoningTokens">Completion tokens spent thinking.</param>
/// <param name="TotalTokens">Prompt and completion tokens.</param>
/// <param name="Cost">US dollars; null when a request's model has no known price (never guessed).</param>
public sealed record UsageTotals(
    string Model, long Requests, long CacheHits, long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens, long TotalTokens, decimal? Cost);

/// <summary>
/// What the requests of one PowerShell session (runspace) cost, per model. Thread-safe: concurrent requests record
/// here. Cache hits are counted, at no cost; a request whose server reported no usage counts as a request only.
/// </summary>
public sealed class UsageLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, UsageTotals> _models = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Counts a request answered by the provider; <paramref name="cost"/> null when its price is unknown.</summary>
    public void Answered(string model, TokenUsage? usage, decimal? cost)
    {
        lock (_gate)
        {
            var row = Row(model);
            _models[model] = row with
            {
                Requests = row.Requests + 1,
                PromptTokens = row.PromptTokens + (usage?.PromptTokens ?? 0),
                CompletionTokens = row.CompletionTokens + (usage?.CompletionTokens ?? 0),
                CachedTokens = row.CachedTokens + (usage?.CachedTokens ?? 0),
                ReasoningTokens = row.ReasoningTokens + (usage?.ReasoningTokens ?? 0),
                TotalTokens = row.TotalTokens + (usage?.TotalTokens ?? 0),
                Cost = row.Cost is { } sum && cost is { } add ? sum + add : null,
            };
        }
    }

    /// <summary>Counts an answer from the cache, which cost nothing.</summary>
    public void CacheHit(string model)
    {
        lock (_gate)
        {
            var row = Row(model);
            _models[model] = row with { CacheHits = row.CacheHits + 1 };
        }
    }

    /// <summary>The totals per model, by model name.</summary>
    public IReadOnlyList<UsageTotals> Totals()
    {
        lock (_gate)
        {
            return _models.Values.OrderBy(row => row.Model, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    /// <summary>Forgets every total (Clear-LlmUsage).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _models.Clear();
        }
    }

    private UsageTotals Row(string model) =>
        _models.TryGetValue(model, out var row) ? row : new UsageTotals(model, 0, 0, 0, 0, 0, 0, 0, 0m);
}

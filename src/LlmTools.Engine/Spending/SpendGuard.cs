using System.Globalization;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Spending;

/// <summary>
/// The one place a request's spend is checked: it holds the request's most possible cost in the session budget
/// (TOKEN_BUDGET, COST_BUDGET) and the command's (-TokenBudget, -CostBudget), or refuses it with BudgetExceeded.
/// </summary>
public sealed class SpendGuard(IReadOnlyList<SpendBudget> budgets, ModelCatalog catalog)
{
    /// <summary>The prices and limits requests are checked against.</summary>
    public ModelCatalog Catalog { get; } = catalog;

    /// <summary>
    /// Holds what a request of <paramref name="promptTokens"/> and at most <paramref name="completionCap"/> completion
    /// tokens may cost; null when no budget is set. When it does not fit while requests in flight hold part of a budget,
    /// it waits for them to settle (their real usage is most often less than their hold) and tries again; so the items
    /// let through are the same at any -ThrottleLimit. Throws BudgetExceeded when it does not fit with nothing in
    /// flight, BudgetUnenforceable when its cost cannot be bounded (no price for a cost budget, no completion cap).
    /// </summary>
    public async Task<SpendCharge?> HoldAsync(
        string model, long promptTokens, int? completionCap, CancellationToken cancellationToken, string what = "This request", string? serviceTier = null)
    {
        while (true)
        {
            var (charge, settled) = TryHold(model, promptTokens, completionCap, what, mayWait: true, serviceTier);
            if (settled is null)
            {
                return charge;
            }

            await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="HoldAsync"/> without waiting: a refusal while requests are in flight throws too (tests, tools).</summary>
    public SpendCharge? Hold(string model, long promptTokens, int? completionCap, string what = "This request") =>
        TryHold(model, promptTokens, completionCap, what, mayWait: false, serviceTier: null).Charge;

    /// <returns>The charge (null: no budget), or, when <paramref name="mayWait"/> and requests in flight hold what is missing, a task to wait for.</returns>
    private (SpendCharge? Charge, Task? Settled) TryHold(string model, long promptTokens, int? completionCap, string what, bool mayWait, string? serviceTier)
    {
        var active = budgets.Where(b => b.Limits.IsSet).ToList();
        if (active.Count == 0)
        {
            return (null, null);
        }

        var facts = Catalog.Find(model);
        var price = facts?.PriceFor(serviceTier);
        if (price is null && active.Any(b => b.Limits.Cost is not null))
        {
            throw new LlmException(
                LlmErrorId.BudgetUnenforceable,
                serviceTier == "priority" && facts?.Price is not null
                    ? $"A cost budget is set, but the priority tier's price of '{model}' is unknown; use -ServiceTier default or flex, or a token budget."
                    : $"A cost budget is set, but the price of '{model}' is unknown. Add it under [Prices] in config.ini as input, cached input and output dollars per million tokens (e.g. {model} = 0.15, 0.075, 0.60; 0, 0, 0 for a free local model), or use a token budget.");
        }

        var cap = completionCap ?? facts?.MaxOutputTokens;
        if (cap is null)
        {
            throw new LlmException(
                LlmErrorId.BudgetUnenforceable,
                $"A budget is set, but the most an answer of '{model}' may cost is unknown: set -MaxTokens (or MAX_TOKENS in config.ini) so each request can hold its cost before it is sent.");
        }

        var tokens = promptTokens + cap.Value;
        var cost = price?.CostOf(promptTokens, cap.Value) ?? 0m;
        var held = new List<SpendBudget>();
        foreach (var budget in active)
        {
            if (budget.TryHold(tokens, cost, out var settled) is { } refusal)
            {
                foreach (var undo in held)
                {
                    undo.Settle(tokens, cost, 0, 0);
                }

                if (mayWait && settled is not null)
                {
                    return (null, settled);
                }

                var costText = price is null ? string.Empty : $" ({SpendBudget.Money(cost)})";
                var capText = completionCap is null ? " (the model's longest; -MaxTokens holds less)" : string.Empty;
                throw new LlmException(
                    LlmErrorId.BudgetExceeded,
                    $"{what} needs up to {tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens{costText}: {promptTokens.ToString("N0", CultureInfo.InvariantCulture)} of prompt and up to {cap.Value.ToString("N0", CultureInfo.InvariantCulture)} of answer{capText}; {refusal}, so it was not sent.");
            }

            held.Add(budget);
        }

        return (new SpendCharge(held, tokens, cost, price), null);
    }
}

using System.Globalization;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Engine.Spending;

/// <summary>A budget's limits: total tokens, US dollars, either or both; null is no limit.</summary>
/// <param name="Tokens">Prompt and completion tokens together.</param>
/// <param name="Cost">US dollars at the model's price.</param>
public sealed record BudgetLimits(long? Tokens, decimal? Cost)
{
    /// <summary>No limit at all.</summary>
    public static readonly BudgetLimits None = new(null, null);

    /// <summary>True when a limit is set.</summary>
    public bool IsSet => Tokens is not null || Cost is not null;
}

/// <summary>
/// A budget that is never crossed, with concurrency too: a request holds its most possible cost (prompt tokens counted
/// offline plus the completion cap, at the full input price) before it is sent, and settles to its real usage after.
/// A request that does not fit beside what is spent and held is refused. Thread-safe.
/// </summary>
public sealed class SpendBudget(string name)
{
    private readonly object _gate = new();
    private long _spentTokens;
    private long _heldTokens;
    private decimal _spentCost;
    private decimal _heldCost;
    private TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What messages call it: "the session budget (TOKEN_BUDGET, COST_BUDGET)".</summary>
    public string Name { get; } = name;

    /// <summary>The limits; the session budget takes them from each command's settings.</summary>
    public BudgetLimits Limits { get; set; } = BudgetLimits.None;

    /// <summary>Tokens and dollars spent so far (settled requests).</summary>
    public (long Tokens, decimal Cost) Spent
    {
        get
        {
            lock (_gate)
            {
                return (_spentTokens, _spentCost);
            }
        }
    }

    /// <summary>Forgets what was spent (Clear-LlmUsage); requests in flight still settle.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _spentTokens = 0;
            _spentCost = 0;
        }
    }

    /// <summary>"4,200 of 5,000 tokens and $0.0123 of $0.50 spent": for messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var parts = new List<string>();
            if (Limits.Tokens is { } tokens)
            {
                parts.Add($"{_spentTokens.ToString("N0", CultureInfo.InvariantCulture)} of {tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens");
            }

            if (Limits.Cost is { } cost)
            {
                parts.Add($"{Money(_spentCost)} of {Money(cost)}");
            }

            return $"{string.Join(" and ", parts)} spent";
        }
    }

    /// <summary>US dollars as people read them: $0.50, $0.000123.</summary>
    public static string Money(decimal dollars) =>
        "$" + (dollars >= 0.01m || dollars == 0 ? dollars.ToString("0.00##", CultureInfo.InvariantCulture) : dollars.ToString("0.########", CultureInfo.InvariantCulture));

    /// <summary>
    /// Holds <paramref name="tokens"/> and <paramref name="cost"/>; null when they fit, else what is left (for the
    /// refusal). <paramref name="settled"/>: when requests in flight hold part of the budget, a task that ends when one
    /// of them settles (taken under the lock, so no settle between the refusal and the wait is missed).
    /// </summary>
    internal string? TryHold(long tokens, decimal cost, out Task? settled)
    {
        lock (_gate)
        {
            settled = _heldTokens > 0 || _heldCost > 0 ? _settled.Task : null;
            var tokensLeft = Limits.Tokens - _spentTokens - _heldTokens;
            var costLeft = Limits.Cost - _spentCost - _heldCost;
            if (tokens > tokensLeft || cost > costLeft)
            {
                var left = new List<string>();
                if (tokensLeft is { } t)
                {
                    left.Add($"{Math.Max(0, t).ToString("N0", CultureInfo.InvariantCulture)} tokens");
                }

                if (costLeft is { } c)
                {
                    left.Add(Money(Math.Max(0, c)));
                }

                var inFlight = _heldTokens > 0 ? $" ({_heldTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens more are held by requests in flight)" : string.Empty;
                return $"{Name} has {string.Join(" and ", left)} left{inFlight}";
            }

            _heldTokens += tokens;
            _heldCost += cost;
            return null;
        }
    }

    internal void Settle(long heldTokens, decimal heldCost, long tokens, decimal cost)
    {
        TaskCompletionSource settled;
        lock (_gate)
        {
            _heldTokens -= heldTokens;
            _heldCost -= heldCost;
            _spentTokens += tokens;
            _spentCost += cost;
            settled = _settled;
            _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        settled.TrySetResult();
    }
}

/// <summary>
/// What one request holds in the budgets it goes through; settled with the real usage when the answer comes, released
/// when no answer does (a failed request cost nothing it reported).
/// </summary>
public sealed class SpendCharge
{
    private readonly IReadOnlyList<SpendBudget> _budgets;
    private readonly ModelPrice? _price;
    private int _done;

    internal SpendCharge(IReadOnlyList<SpendBudget> budgets, long tokens, decimal cost, ModelPrice? price)
    {
        _budgets = budgets;
        HeldTokens = tokens;
        HeldCost = cost;
        _price = price;
    }

    /// <summary>Tokens held: the prompt counted offline plus the completion cap.</summary>
    public long HeldTokens { get; }

    /// <summary>Dollars held at the full input and output price; 0 when no cost budget is set.</summary>
    public decimal HeldCost { get; }

    /// <summary>Replaces the hold by <paramref name="usage"/>; without usage the whole hold counts as spent (the safe side).</summary>
    public void Settle(TokenUsage? usage) => End(
        usage?.TotalTokens ?? HeldTokens,
        usage is not null && _price is not null ? _price.CostOf(usage) : HeldCost);

    /// <summary>Settles a share of a batch's usage (embeddings): <paramref name="tokens"/> prompt tokens.</summary>
    public void Settle(long tokens) => End(tokens, _price?.CostOf(tokens, 0) ?? HeldCost);

    /// <summary>Gives the hold back: the request was not answered.</summary>
    public void Release() => End(0, 0);

    private void End(long tokens, decimal cost)
    {
        if (Interlocked.Exchange(ref _done, 1) == 1)
        {
            return; // why: settled or released once; a second call (a retry path, a finally) changes nothing
        }

        foreach (var budget in _budgets)
        {
            budget.Settle(HeldTokens, HeldCost, tokens, cost);
        }
    }
}

/// <summary>
/// The one place a request's spend is checked: it holds the request's most possible cost in the session budget
/// (TOKEN_BUDGET, COST_BUDGET) and the command's (-TokenBudget, -CostBudget), or refuses it with BudgetExceeded.
/// </summary>
public sealed class SpendGuard(IReadOnlyList<SpendBudget> budgets, ModelCatalog catalog)
{
    /// <summary>"the session budget (...): 4,200 of 5,000 tokens spent", or null when the session has no budget.</summary>
    public string? SessionDescription() => budgets.Count > 0 && budgets[0].Limits.IsSet ? $"{budgets[0].Name}: {budgets[0].Describe()}" : null;

    /// <summary>True when some budget has a limit, so requests must hold their cost.</summary>
    public bool IsActive => budgets.Any(b => b.Limits.IsSet);

    /// <summary>The prices and limits requests are checked against.</summary>
    public ModelCatalog Catalog { get; } = catalog;

    /// <summary>
    /// Holds what a request of <paramref name="promptTokens"/> and at most <paramref name="completionCap"/> completion
    /// tokens may cost; null when no budget is set. When it does not fit while requests in flight hold part of a budget,
    /// it waits for them to settle (their real usage is most often less than their hold) and tries again; so the items
    /// let through are the same at any -ThrottleLimit. Throws BudgetExceeded when it does not fit with nothing in
    /// flight, BudgetUnenforceable when its cost cannot be bounded (no price for a cost budget, no completion cap).
    /// </summary>
    public async Task<SpendCharge?> HoldAsync(string model, long promptTokens, int? completionCap, CancellationToken cancellationToken, string what = "This request")
    {
        while (true)
        {
            var (charge, settled) = TryHold(model, promptTokens, completionCap, what, mayWait: true);
            if (settled is null)
            {
                return charge;
            }

            await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="HoldAsync"/> without waiting: a refusal while requests are in flight throws too (tests, tools).</summary>
    public SpendCharge? Hold(string model, long promptTokens, int? completionCap, string what = "This request") =>
        TryHold(model, promptTokens, completionCap, what, mayWait: false).Charge;

    /// <returns>The charge (null: no budget), or, when <paramref name="mayWait"/> and requests in flight hold what is missing, a task to wait for.</returns>
    private (SpendCharge? Charge, Task? Settled) TryHold(string model, long promptTokens, int? completionCap, string what, bool mayWait)
    {
        var active = budgets.Where(b => b.Limits.IsSet).ToList();
        if (active.Count == 0)
        {
            return (null, null);
        }

        var facts = Catalog.Find(model);
        var price = facts?.Price;
        if (price is null && active.Any(b => b.Limits.Cost is not null))
        {
            throw new LlmException(
                LlmErrorId.BudgetUnenforceable,
                $"A cost budget is set, but the price of '{model}' is unknown. Add it under [Prices] in config.ini as input, cached input and output dollars per million tokens (e.g. {model} = 0.15, 0.075, 0.60; 0, 0, 0 for a free local model), or use a token budget.");
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

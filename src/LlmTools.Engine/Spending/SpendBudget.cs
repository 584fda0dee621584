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

using System.Globalization;
using System.Management.Automation;
using LlmTools.Engine.Sessions;
using LlmTools.Engine.Spending;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// The total of a -WhatIf run: requests, prompt tokens, completion caps, cache hits and the cost range, written once at
/// the end as a "What if:" line (the items themselves are LlmCostEstimate objects on the pipeline).
/// </summary>
internal sealed class WhatIfReport
{
    private int _items;
    private int _hits;
    private int _tooLong;
    private long _promptTokens;
    private long _completionCap;
    private bool _capUnknown;
    private decimal _minCost;
    private decimal _maxCost;
    private readonly SortedSet<string> _unpriced = new(StringComparer.OrdinalIgnoreCase);
    private bool _maxUnknown;

    public int Count => _items;

    public void Add(LlmCostEstimate estimate)
    {
        _items++;
        if (estimate.TooLong)
        {
            _tooLong++;
            return;
        }

        if (estimate.Cached)
        {
            _hits++;
            return;
        }

        _promptTokens += estimate.PromptTokens;
        _completionCap += estimate.CompletionCap ?? 0;
        _capUnknown |= estimate.CompletionCap is null;
        if (estimate.MinCost is { } min)
        {
            _minCost += min;
        }
        else
        {
            _unpriced.Add(estimate.Model);
        }

        if (estimate.MaxCost is { } max)
        {
            _maxCost += max;
        }
        else
        {
            _maxUnknown = true;
        }
    }

    /// <summary>Writes the total as a "What if:" line on the host (and the information stream, so 6>&amp;1 captures it).</summary>
    public void Write(Cmdlet cmdlet, CommandSpending spending)
    {
        var pricesAsOf = spending.Guard.Catalog.AsOf;
        if (_items == 0)
        {
            return;
        }

        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var sent = _items - _hits - _tooLong;
        var completion = _capUnknown ? ", completion tokens unbounded (no -MaxTokens and the model's most is unknown)"
            : _completionCap == 0 ? string.Empty // why: embeddings have no answer tokens
            : $", up to {N(_completionCap)} completion tokens";
        var cost = _unpriced.Count > 0
            ? $"cost unknown: no price for {string.Join(", ", _unpriced.Select(m => $"'{m}'"))} (add it under [Prices] in config.ini)"
            : _maxUnknown
                ? $"at least {SpendBudget.Money(_minCost)}"
                : $"estimated {SpendBudget.Money(_minCost)}{(_maxCost == _minCost ? string.Empty : $" to {SpendBudget.Money(_maxCost)}")}{(pricesAsOf is null ? string.Empty : $" at the prices of {pricesAsOf}")}";
        var notes = (_tooLong > 0 ? $"; {_tooLong} too long for the model's context window would fail unsent" : string.Empty)
            + string.Concat(new[] { spending.Session, spending.Command }.Select(BudgetNote));
        var line = $"What if: {N(sent)} of {N(_items)} item(s) would be sent ({N(_hits)} answered from the cache, free): {N(_promptTokens)} prompt tokens{completion}; {cost}{notes}.";
        cmdlet.WriteInformation(new HostInformationMessage { Message = line }, ["PSHOST", "WhatIf"]);
    }

    // why: -WhatIf sends nothing and so is never refused; it says when the real run could meet a budget on its way
    private string BudgetNote(SpendBudget budget)
    {
        var (spentTokens, spentCost) = budget.Spent;
        var tokensLeft = budget.Limits.Tokens - spentTokens;
        var costLeft = budget.Limits.Cost - spentCost;
        var mostTokens = _capUnknown ? long.MaxValue : _promptTokens + _completionCap;
        var tight = (tokensLeft is { } t && mostTokens > t) || (costLeft is { } c && (_maxUnknown || _unpriced.Count > 0 || _maxCost > c));
        return tight ? $"; {budget.Name} has {budget.Describe()} and may stop the run before its end" : string.Empty;
    }
}

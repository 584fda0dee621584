using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Embeddings;
using LlmTools.Engine.Models;
using LlmTools.Engine.Spending;
using LlmTools.Engine.Tests.Configuration;

namespace LlmTools.Engine.Tests.Spending;

public sealed class SpendingTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;
    private static readonly Dictionary<string, (ModelPrice, string)> NoOverrides = [];

    [Theory]
    [InlineData("gpt-4o-mini", 0.15, 0.60)]
    [InlineData("gpt-4o-mini-2024-07-18", 0.15, 0.60)] // a dated snapshot costs what its family costs
    [InlineData("gpt-4o-2024-08-06", 2.50, 10.00)]     // ... and never a longer family name's price
    [InlineData("openai/gpt-4.1-nano", 0.10, 0.40)]
    [InlineData("text-embedding-3-small", 0.02, 0)]
    public void The_shipped_table_prices_known_models_and_their_snapshots(string model, double input, double output)
    {
        var price = ModelCatalog.For(NoOverrides).Find(model)?.Price;

        Assert.NotNull(price);
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
    }

    [Theory]
    [InlineData("llama3.1")]
    [InlineData("gpt-4o-mini-finetuned")] // a similar name is not guessed
    [InlineData("my-azure-deployment")]
    public void An_unknown_model_has_no_price(string model) =>
        Assert.Null(ModelCatalog.For(NoOverrides).Find(model)?.Price);

    [Fact]
    public void The_shipped_table_carries_its_date_and_source_and_context_windows()
    {
        var catalog = ModelCatalog.For(NoOverrides);

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", catalog.AsOf);
        Assert.Contains("openai.com", catalog.Source);
        Assert.Equal(128_000, catalog.Find("gpt-4o-mini")!.ContextWindow);
        Assert.Equal(16_384, catalog.Find("gpt-4o-mini")!.MaxOutputTokens);
    }

    [Fact]
    public void Prices_in_config_win_per_model_and_name_their_file()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[Prices]\ngpt-4o-mini = 1, 0.5, 2\nllama3.1 = 0, 0, 0\n");

        var settings = SettingsLoader.Load(new(null, null, path, NoEnvironment));
        var catalog = ModelCatalog.For(settings.Prices);

        Assert.Equal(new ModelPrice(1, 0.5m, 2), catalog.Find("gpt-4o-mini")!.Price);
        Assert.Equal(128_000, catalog.Find("gpt-4o-mini")!.ContextWindow); // the override keeps what else is known
        Assert.Equal(new ModelPrice(0, 0, 0), catalog.Find("llama3.1")!.Price);
        Assert.Equal(Path.GetFullPath(path), catalog.Find("llama3.1")!.PriceSource);
    }

    [Fact]
    public void A_price_that_is_not_three_numbers_names_file_model_and_value()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[Prices]\ngpt-4o = cheap\n");

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, path, NoEnvironment)));

        Assert.Contains(path, ex.Message);
        Assert.Contains("gpt-4o", ex.Message);
        Assert.Contains("'cheap'", ex.Message);
    }

    [Fact]
    public void Budgets_are_read_from_config_and_checked()
    {
        using var temp = new TempConfig();
        var good = temp.Write("config.ini", "[LlmTools]\nTOKEN_BUDGET=50000\nCOST_BUDGET=2.50\n");
        Assert.Equal(new BudgetLimits(50_000, 2.50m), SettingsLoader.Load(new(null, null, good, NoEnvironment)).SessionBudget);

        var bad = temp.Write("bad.ini", "[LlmTools]\nCOST_BUDGET=-1\n");
        Assert.Contains("COST_BUDGET", Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, bad, NoEnvironment))).Message);
    }

    [Fact]
    public void Cached_prompt_tokens_are_priced_as_cached()
    {
        var price = new ModelPrice(Input: 2.50m, CachedInput: 1.25m, Output: 10m);

        // 1,000 prompt tokens of which 600 cached, 200 completion: (400 x 2.50 + 600 x 1.25 + 200 x 10) / 1e6
        Assert.Equal(0.00375m, price.CostOf(new TokenUsage(1000, 200, 1200, CachedTokens: 600)));
        Assert.Equal(0.0045m, price.CostOf(new TokenUsage(1000, 200, 1200)));
    }

    [Fact]
    public void Concurrent_holds_never_cross_the_budget_and_settling_frees_what_was_not_used()
    {
        var budget = new SpendBudget("test budget") { Limits = new BudgetLimits(Tokens: 1_000, Cost: null) };
        var guard = new SpendGuard([budget], ModelCatalog.For(NoOverrides));
        var charges = new System.Collections.Concurrent.ConcurrentBag<SpendCharge>();
        var refused = 0;

        Parallel.For(0, 200, _ =>
        {
            try
            {
                charges.Add(guard.Hold("gpt-4o-mini", promptTokens: 30, completionCap: 70)!);
            }
            catch (LlmException ex) when (ex.ErrorId == LlmErrorId.BudgetExceeded)
            {
                Interlocked.Increment(ref refused);
            }
        });

        Assert.Equal(10, charges.Count); // 10 x (30 + 70) = 1,000
        Assert.Equal(190, refused);
        foreach (var charge in charges)
        {
            charge.Settle(new TokenUsage(30, 20, 50));
            charge.Settle(new TokenUsage(30, 70, 100)); // a second settle changes nothing
        }

        Assert.Equal(500L, budget.Spent.Tokens);
        Assert.NotNull(guard.Hold("gpt-4o-mini", 30, 70)); // the unused 500 are free again
    }

    [Fact]
    public void A_refusal_says_what_the_request_needs_and_what_is_left()
    {
        var budget = new SpendBudget("the session budget (TOKEN_BUDGET, COST_BUDGET)") { Limits = new BudgetLimits(Tokens: null, Cost: 0.001m) };
        var guard = new SpendGuard([budget], ModelCatalog.For(NoOverrides));

        var ex = Assert.Throws<LlmException>(() => guard.Hold("gpt-4o", promptTokens: 100, completionCap: 500));

        Assert.Equal(LlmErrorId.BudgetExceeded, ex.ErrorId);
        Assert.Contains("600 tokens ($0.00525)", ex.Message); // (100 x 2.50 + 500 x 10) / 1e6
        Assert.Contains("the session budget (TOKEN_BUDGET, COST_BUDGET) has $0.001 left", ex.Message);
    }

    [Fact]
    public void A_budget_that_cannot_be_kept_says_how_to_fix_it()
    {
        var cost = new SpendBudget("b") { Limits = new BudgetLimits(null, 1m) };
        var tokens = new SpendBudget("b") { Limits = new BudgetLimits(100_000, null) };

        var noPrice = Assert.Throws<LlmException>(() => new SpendGuard([cost], ModelCatalog.For(NoOverrides)).Hold("llama3.1", 10, 100));
        var noCap = Assert.Throws<LlmException>(() => new SpendGuard([tokens], ModelCatalog.For(NoOverrides)).Hold("llama3.1", 10, null));

        Assert.Equal(LlmErrorId.BudgetUnenforceable, noPrice.ErrorId);
        Assert.Contains("[Prices]", noPrice.Message);
        Assert.Equal(LlmErrorId.BudgetUnenforceable, noCap.ErrorId);
        Assert.Contains("-MaxTokens", noCap.Message);
        Assert.NotNull(new SpendGuard([tokens], ModelCatalog.For(NoOverrides)).Hold("gpt-4o-mini", 10, null)); // a known model's most output is the cap
    }

    [Fact]
    public void No_budget_holds_nothing()
    {
        var guard = new SpendGuard([new SpendBudget("b")], ModelCatalog.For(NoOverrides));

        Assert.Null(guard.Hold("llama3.1", 10, null));
    }

    [Theory]
    [InlineData(10, new[] { 1, 1, 1 }, new[] { 4, 3, 3 })]
    [InlineData(100, new[] { 10, 30, 60 }, new[] { 10, 30, 60 })]
    [InlineData(7, new[] { 0, 0 }, new[] { 4, 3 })]
    [InlineData(0, new[] { 5 }, new[] { 0 })]
    public void A_batch_usage_is_shared_by_token_count_and_adds_up(int billed, int[] tokens, int[] expected)
    {
        var shares = UsageShares.Split(billed, tokens);

        Assert.Equal(expected, shares);
        Assert.Equal(billed, shares.Sum());
    }

    [Fact]
    public void The_ledger_totals_per_model_and_an_unknown_price_makes_the_cost_unknown()
    {
        var ledger = new UsageLedger();
        ledger.Answered("gpt-4o", new TokenUsage(10, 5, 15, CachedTokens: 4, ReasoningTokens: 2), 0.1m);
        ledger.Answered("GPT-4o", new TokenUsage(20, 5, 25), 0.2m);
        ledger.CacheHit("gpt-4o");
        ledger.Answered("llama3.1", new TokenUsage(1, 1, 2), null);

        var totals = ledger.Totals();

        Assert.Equal(new UsageTotals("gpt-4o", 2, 1, 30, 10, 4, 2, 40, 0.3m), totals[0]);
        Assert.Null(totals[1].Cost);
        ledger.Clear();
        Assert.Empty(ledger.Totals());
    }
}

public sealed class ServiceTierSettingsTests
{
    [Theory]
    [InlineData("[OpenAI]\nTIMEOUT=60\n[LlmTools]\nSERVICE_TIER=flex\n", null, 900)]    // flex waits at least 15 minutes
    [InlineData("[OpenAI]\nTIMEOUT=1200\n[LlmTools]\nSERVICE_TIER=flex\n", null, 1200)] // a longer TIMEOUT stands
    [InlineData("[OpenAI]\nTIMEOUT=60\n[LlmTools]\nSERVICE_TIER=flex\n", 30.0, 30)]    // -TimeoutSec wins
    [InlineData("[OpenAI]\nTIMEOUT=60\n[LlmTools]\nSERVICE_TIER=default\n", null, 60)]
    public void Flex_waits_longer_unless_told_otherwise(string ini, double? timeoutSec, double expected)
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", ini);

        var settings = SettingsLoader.Load(new(null, null, path, _ => null), new SettingsOverrides { Timeout = timeoutSec is { } s ? TimeSpan.FromSeconds(s) : null });

        Assert.Equal(TimeSpan.FromSeconds(expected), settings.Timeout);
    }

    [Fact]
    public void A_tier_that_does_not_exist_names_the_tiers_that_do()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[LlmTools]\nSERVICE_TIER=cheap\n");

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, path, _ => null)));

        Assert.Contains("one of auto, default, flex, priority", ex.Message);
    }
}

using System.Management.Automation;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// What a pipeline spends: usage and cost on every object, session totals, budgets that are never crossed (counted
/// at the loopback server), -WhatIf estimates that send nothing, and prompts too long for the model refused unsent.
/// </summary>
public sealed class SpendTests : LlmTestContext
{
    // why these prices: one dollar per thousand tokens makes every figure easy to check by hand
    protected override string ExtraConfig => "\n[Prices]\npriced-model = 1000, 500, 1000\n";

    private static object? P(PSObject o, string name) => o.Properties[name]?.Value;

    private static decimal? Money(PSObject o, string name) => P(o, name) is { } v ? Convert.ToDecimal(v) : null;

    private static int Int(PSObject o, string name) => Convert.ToInt32(P(o, name));

    private static List<PSObject> OfType(ScriptResult result, string type) =>
        result.Output.Where(o => o.TypeNames[0] == "LlmTools.Output." + type).ToList();

    /// <summary>The refused item's error and the message that stopped the command (the terminating error, last).</summary>
    private static (ErrorRecord Item, string Stop) ItemErrorThenStop(ScriptResult result)
    {
        Assert.Equal(2, result.Errors.Count);
        return (result.Errors[0], result.Errors[1].Exception.Message + result.Terminating?.Message);
    }

    /// <summary>Runs <paramref name="script"/>; when it has not ended after <paramref name="seconds"/>, stops it as Ctrl+C does. True when it ended on its own.</summary>
    private bool EndsWithin(string script, double seconds)
    {
        using var ps = PowerShell.Create(Ps.Runspace);
        ps.AddScript(script);
        var running = ps.BeginInvoke();
        var ended = running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(seconds));
        if (!ended)
        {
            ps.Stop();
        }

        try
        {
            ps.EndInvoke(running);
        }
        catch (RuntimeException)
        {
            // why: a stopped or failed script is judged by whether it ended, not by how
        }

        return ended;
    }

    /// <summary>Prompt tokens of one 'item N' request, counted offline as the module counts them.</summary>
    private int ItemPromptTokens() =>
        (int)Ps.Invoke("(Measure-LlmTokens -Messages @(@{ role = 'user'; content = 'item 1' }) -Model gpt-4o-mini).Tokens").Output[0].BaseObject;

    [Fact]
    public void Every_answer_carries_its_usage_and_cost_and_a_cache_hit_costs_nothing()
    {
        Server.UsageDetails = (CachedTokens: 2, ReasoningTokens: 3);

        var result = Ps.Invoke("Send-LlmMessage 'what does this cost' -Model priced-model -Cache; Send-LlmMessage 'what does this cost' -Model priced-model -Cache; Send-LlmMessage 'and streamed' -Model priced-model -Stream");

        Assert.Empty(result.Errors);
        var (first, hit, streamed) = (result.Output[0], result.Output[1], result.Output[2]);
        Assert.Equal(2, Int(first, "CachedTokens"));
        Assert.Equal(3, Int(first, "ReasoningTokens"));
        // cached prompt tokens at the cached price: ((prompt - 2) x 1000 + 2 x 500 + completion x 1000) / 1e6
        Assert.Equal(((Int(first, "PromptTokens") - 2) * 1000m + 2 * 500m + Int(first, "CompletionTokens") * 1000m) / 1_000_000m, Money(first, "Cost"));
        Assert.True((bool)P(hit, "Cached")!);
        Assert.Equal(0m, Money(hit, "Cost"));
        Assert.True(Money(streamed, "Cost") > 0);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Get_LlmUsage_totals_the_session_per_model_and_Clear_LlmUsage_resets_it()
    {
        Server.UsageDetails = (CachedTokens: 1, ReasoningTokens: 2);

        var result = Ps.Invoke(
            "$r = 'a', 'b' | Send-LlmMessage -Model priced-model -Cache; 'a' | Send-LlmMessage -Model priced-model -Cache | Out-Null; "
            + "'c' | Send-LlmMessage -Model unknown-model | Out-Null; $r; Get-LlmUsage");

        var responses = OfType(result, "LlmResponse");
        var usage = OfType(result, "LlmUsage");
        Assert.Equal(["priced-model", "unknown-model"], usage.Select(u => (string)P(u, "Model")!));
        var priced = usage[0];
        Assert.Equal(2, Int(priced, "Requests"));
        Assert.Equal(1, Int(priced, "CacheHits"));
        Assert.Equal(responses.Sum(r => Int(r, "PromptTokens")), Int(priced, "PromptTokens"));
        Assert.Equal(responses.Sum(r => Int(r, "CompletionTokens")), Int(priced, "CompletionTokens"));
        Assert.Equal(2, Int(priced, "CachedTokens"));
        Assert.Equal(4, Int(priced, "ReasoningTokens"));
        Assert.Equal(responses.Sum(r => Int(r, "TotalTokens")), Int(priced, "TotalTokens"));
        Assert.Equal(responses.Sum(r => Money(r, "Cost")!.Value), Money(priced, "Cost"));
        Assert.Null(P(usage[1], "Cost")); // an unknown price is unknown, never guessed

        var cleared = Ps.Invoke("Clear-LlmUsage -PassThru");
        var after = Ps.Invoke("Get-LlmUsage");
        Assert.Empty(cleared.Errors);
        Assert.Equal(2, cleared.Output.Count);
        Assert.Empty(after.Output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void A_token_budget_lets_through_exactly_the_items_that_fit_and_then_stops(int throttle)
    {
        Server.CompletionFillsCap = true; // why: each answer then costs what it held, so "fits" has one meaning
        var held = ItemPromptTokens() + 50;

        var result = Ps.Invoke($"1..9 | ForEach-Object {{ \"item $_\" }} | Send-LlmMessage -MaxTokens 50 -ThrottleLimit {throttle} -TokenBudget {4 * held}");

        Assert.Equal(["Echo: item 1", "Echo: item 2", "Echo: item 3", "Echo: item 4"], result.Output.Select(r => (string)P(r, "Content")!));
        Assert.Equal(4, Server.CountOf(LlmRoute.Chat));
        var (refused, stop) = ItemErrorThenStop(result);
        Assert.StartsWith("BudgetExceeded", refused.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("item 5", refused.TargetObject);
        // why 52: the server bills each answer its whole cap of 50 and the prompt 'item N' as two words
        // (at -ThrottleLimit 16 it waited for the four before it to settle: what is left is the same)
        Assert.Contains($"this command's budget (-TokenBudget, -CostBudget) has {4 * held - 4 * 52} tokens left, so it was not sent", refused.Exception.Message);
        Assert.Contains("Stopped after 4 answered item(s)", stop);
        Assert.Contains($"this command: {4 * 52} of {4 * held:N0} tokens spent", stop);
    }

    [Fact]
    public void Requests_in_flight_give_back_what_their_answers_did_not_use_so_concurrency_costs_no_items()
    {
        var held = ItemPromptTokens() + 50;

        // answers of 3 tokens: holds of the whole cap would stop 16 concurrent requests after 4; settled usage lets all 9 through
        var result = Ps.Invoke($"1..9 | ForEach-Object {{ \"item $_\" }} | Send-LlmMessage -MaxTokens 50 -ThrottleLimit 16 -TokenBudget {4 * held}");

        Assert.Empty(result.Errors);
        Assert.Equal(9, result.Output.Count);
        Assert.Equal(9, Server.CountOf(LlmRoute.Chat));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void A_cost_budget_is_never_crossed_and_cache_hits_are_free(int throttle)
    {
        Server.CompletionFillsCap = true;
        var held = (ItemPromptTokens() + 50) / 1000m; // dollars at 1,000 per million tokens
        Ps.Invoke("Send-LlmMessage 'item 1' -Model priced-model -MaxTokens 50 -Cache | Out-Null");

        var result = Ps.Invoke($"1..9 | ForEach-Object {{ \"item $_\" }} | Send-LlmMessage -Model priced-model -MaxTokens 50 -Cache -ThrottleLimit {throttle} -CostBudget {3 * held}");

        var answered = result.Output;
        Assert.Equal(4, answered.Count); // the cached item 1, free, and three that fit
        Assert.True((bool)P(answered[0], "Cached")!);
        Assert.Equal(1 + 3, Server.CountOf(LlmRoute.Chat));
        Assert.True(answered.Sum(r => Money(r, "Cost")!.Value) <= 3 * held);
        Assert.Equal("item 5", ItemErrorThenStop(result).Item.TargetObject);
    }

    [Fact]
    public void The_session_budget_spans_commands_and_Clear_LlmUsage_renews_it()
    {
        Server.CompletionFillsCap = true;
        var held = ItemPromptTokens() + 50;
        File.AppendAllText(Ps.ConfigPath, $"\n[LlmTools]\nTOKEN_BUDGET={2 * held}\n");

        var first = Ps.Invoke("Send-LlmMessage 'item 1' -MaxTokens 50");
        var second = Ps.Invoke("'item 2', 'item 3' | Send-LlmMessage -MaxTokens 50");
        var renewed = Ps.Invoke("Clear-LlmUsage; Send-LlmMessage 'item 4' -MaxTokens 50");

        Assert.Single(first.Output);
        Assert.Equal("Echo: item 2", P(Assert.Single(second.Output), "Content"));
        Assert.Contains("the session budget (TOKEN_BUDGET, COST_BUDGET) has", ItemErrorThenStop(second).Item.Exception.Message);
        Assert.Single(renewed.Output);
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_embeddings_budget_never_waits_on_a_batch_it_has_not_sent_yet()
    {
        // why: each text holds its cost when it joins a batch; a text that does not fit must not wait for holds only this
        // command's unsent batch has (it used to hang here at the default -BatchSize)
        Assert.True(EndsWithin("'one', 'two', 'three' | Get-LlmEmbedding -NoCache -TokenBudget 2", 30));
        Assert.Equal(1, Server.CountOf(LlmRoute.Embeddings));
    }

    [Fact]
    public void Ctrl_C_gives_back_what_its_requests_held_so_the_session_budget_is_not_left_short()
    {
        // exactly one embedding of 6 words (6 tokens) and one chat request (its prompt and a cap of 50)
        File.AppendAllText(Ps.ConfigPath, $"\n[LlmTools]\nTOKEN_BUDGET={6 + ItemPromptTokens() + 50}\n");
        Server.Latency = TimeSpan.FromSeconds(5);
        Assert.False(EndsWithin("'one two three four five six' | Get-LlmEmbedding -NoCache -BatchSize 1", 1.5));
        Assert.False(EndsWithin("Send-LlmMessage 'item 1' -MaxTokens 50", 1.5));
        Server.Latency = TimeSpan.Zero;
        Ps.Invoke("Clear-LlmUsage"); // what the stopped requests may have cost is forgotten; what they held must be free

        var before = Server.CountOf(LlmRoute.Chat) + Server.CountOf(LlmRoute.Embeddings);

        // why bounded: a hold nobody gives back makes the next request wait forever for it to settle
        Assert.True(EndsWithin("'one two three four five six' | Get-LlmEmbedding -NoCache; Send-LlmMessage 'item 2' -MaxTokens 50", 30));
        Assert.Equal(before + 2, Server.CountOf(LlmRoute.Chat) + Server.CountOf(LlmRoute.Embeddings));
    }

    [Fact]
    public void A_stream_cut_after_text_spends_its_hold()
    {
        for (var i = 0; i < 6; i++)
        {
            Server.EnqueueFault(Fault.Stream(cut: true, Fault.Chunk(new string('x', 200))));
        }

        var held = ItemPromptTokens() + 50;
        var result = Ps.Invoke($"1..6 | ForEach-Object {{ \"item $_\" }} | Send-LlmMessage -Stream -MaxTokens 50 -TokenBudget {2 * held}");

        // why 2: a cut answer was billed for its prompt and what it said, so it costs its whole hold, not nothing
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
        Assert.Contains("BudgetExceeded", result.ErrorIds());
    }

    [Fact]
    public void Usage_without_a_total_still_counts_prompt_and_completion()
    {
        Server.EnqueueFault(Fault.Raw(200, """{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":50}}"""));

        var result = Ps.Invoke("Send-LlmMessage 'hi'");

        Assert.Equal(60, Int(result.Output[0], "TotalTokens"));
    }

    [Fact]
    public void A_cost_budget_for_a_model_without_a_price_stops_before_any_request()
    {
        var result = Ps.Invoke("'a', 'b' | Send-LlmMessage -Model llama-local -CostBudget 1");

        Assert.Empty(result.Output);
        var (item, stop) = ItemErrorThenStop(result);
        Assert.StartsWith("BudgetUnenforceable", item.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("[Prices]", stop);
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void WhatIf_sends_nothing_and_reports_exact_tokens_cache_hits_and_the_cost_range()
    {
        Ps.Invoke("Send-LlmMessage 'item 1' -MaxTokens 100 -Cache | Out-Null");

        var result = Ps.Invoke("'item 1', 'item 2' | Send-LlmMessage -MaxTokens 100 -Cache -WhatIf");

        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
        var estimates = OfType(result, "LlmCostEstimate");
        var prompt = ItemPromptTokens();
        Assert.True((bool)P(estimates[0], "Cached")!);
        Assert.Equal(0m, Money(estimates[0], "MaxCost"));
        Assert.False((bool)P(estimates[1], "Cached")!);
        Assert.Equal(prompt, Int(estimates[1], "PromptTokens"));
        Assert.Equal(100, Int(estimates[1], "CompletionCap"));
        Assert.Equal(prompt * 0.15m / 1_000_000m, Money(estimates[1], "MinCost")); // gpt-4o-mini's shipped price
        Assert.Equal((prompt * 0.15m + 100 * 0.60m) / 1_000_000m, Money(estimates[1], "MaxCost"));
        var total = Assert.Single(result.Information).MessageData.ToString();
        Assert.StartsWith($"What if: 1 of 2 item(s) would be sent (1 answered from the cache, free): {prompt} prompt tokens, up to 100 completion tokens; estimated $", total);
        Assert.DoesNotContain("budget", total);

        // a budget the run could meet is named, though -WhatIf itself is never refused
        var tight = Ps.Invoke("'item 2', 'item 3' | Send-LlmMessage -MaxTokens 100 -TokenBudget 150 -WhatIf");
        Assert.Equal(2, OfType(tight, "LlmCostEstimate").Count);
        Assert.EndsWith("this command's budget (-TokenBudget, -CostBudget) has 0 of 150 tokens spent and may stop the run before its end.", Assert.Single(tight.Information).MessageData.ToString());
    }

    [Fact]
    public void A_prompt_too_long_for_the_models_context_window_is_refused_unsent()
    {
        var result = Ps.Invoke("$long = 'word ' * 140000; $long, 'short' | Send-LlmMessage");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ContextLengthExceeded", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Matches(@"The prompt has 140,0\d\d tokens; 'gpt-4o-mini' reads at most 128,000 in all", error.Exception.Message);
        Assert.Single(result.Output);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Embeddings_share_their_requests_usage_and_honour_budgets_and_WhatIf()
    {
        var result = Ps.Invoke("'one two three', 'four', 'five six' | Get-LlmEmbedding -BatchSize 3 -NoCache; Get-LlmUsage text-embedding-3-small");

        var vectors = OfType(result, "LlmEmbedding");
        var usage = Assert.Single(OfType(result, "LlmUsage"));
        Assert.Equal(1, Int(usage, "Requests"));
        Assert.Equal(6, Int(usage, "PromptTokens")); // the server bills one token per word
        Assert.Equal([3, 1, 2], vectors.Select(v => Int(v, "PromptTokens")));
        Assert.Equal(vectors.Sum(v => Money(v, "Cost")!.Value), Money(usage, "Cost"));
        Assert.Equal(3 * 0.02m / 1_000_000m, Money(vectors[0], "Cost"));

        var whatIf = Ps.Invoke("'a text', 'another text' | Get-LlmEmbedding -WhatIf");
        Assert.Equal(2, OfType(whatIf, "LlmCostEstimate").Count);
        Assert.Equal(1, Server.CountOf(LlmRoute.Embeddings));

        var capped = Ps.Invoke("'one', 'two', 'three' | Get-LlmEmbedding -BatchSize 1 -NoCache -TokenBudget 2");
        Assert.Equal(2, OfType(capped, "LlmEmbedding").Count);
        Assert.Equal("three", ItemErrorThenStop(capped).Item.TargetObject);
    }
}

using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Pacing against a server that enforces OpenAI-style limits: a pipeline far larger than the limit, with a generous
/// -ThrottleLimit, finishes with every item answered in order and (almost) nothing refused.
/// </summary>
public sealed class PacingTests : LlmTestContext
{
    // why not 0: the loopback "minute" is 2 s, so a few milliseconds of scheduling jitter on a busy machine weigh
    // thirty times more than at a real provider; unpaced, these runs are refused 20 to 30 times
    private const int MostRefusals = 2;

    private const string FortyPrompts = "$prompts = 1..40 | ForEach-Object { \"prompt number $_ of the paced run\" }; ";

    [Fact]
    public void A_request_limit_is_learned_from_the_headers_and_kept()
    {
        Server.RateLimits = new ServerRateLimits { Requests = 20, Window = TimeSpan.FromSeconds(2) };

        var result = Ps.InvokeVerbose(FortyPrompts + "$prompts | Send-LlmMessage -ApiKey $Key -ThrottleLimit 32");

        AllAnsweredInOrder(result, 40);
        Assert.Equal(40, Server.RateLimits.Admitted);
        Assert.InRange(Server.RateLimits.Refused, 0, MostRefusals);
        Assert.Contains(result.Verbose, v => v.Message.StartsWith("Rate limits of 'gpt-4o-mini' at ", StringComparison.Ordinal)
            && v.Message.Contains("20 requests per minute, no tokens limit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_limit_counts_the_prompt_and_the_completion_cap()
    {
        Server.RateLimits = new ServerRateLimits { Tokens = 1200, Window = TimeSpan.FromSeconds(2) };

        var result = Ps.Invoke(FortyPrompts + "$prompts | Send-LlmMessage -ApiKey $Key -ThrottleLimit 32 -MaxTokens 40");

        AllAnsweredInOrder(result, 40);
        Assert.InRange(Server.RateLimits.Refused, 0, MostRefusals);
    }

    [Fact]
    public void Configured_limits_pace_a_server_that_sends_no_headers()
    {
        Server.RateLimits = new ServerRateLimits { Requests = 5, Window = TimeSpan.FromSeconds(1), SendHeaders = false };

        // why 240 per minute: below the server's 300, evenly spaced, so the bucket of 5 is never emptied
        var result = Ps.Invoke("1..12 | ForEach-Object { \"p$_\" } | Send-LlmMessage -ApiKey $Key -ThrottleLimit 12 -RequestsPerMinute 240");

        AllAnsweredInOrder(result, 12, prefix: "Echo: p");
        Assert.Equal(0, Server.RateLimits.Refused);
    }

    [Fact]
    public void Without_headers_or_configured_limits_refusals_lose_no_item()
    {
        Server.RateLimits = new ServerRateLimits { Requests = 5, Window = TimeSpan.FromSeconds(1), SendHeaders = false };

        var result = Ps.Invoke("1..30 | ForEach-Object { \"p$_\" } | Send-LlmMessage -ApiKey $Key -ThrottleLimit 16 -MaxAttempts 1");

        AllAnsweredInOrder(result, 30, prefix: "Echo: p");
        Assert.Equal(30, Server.RateLimits.Admitted);
    }

    [Fact]
    public void Embeddings_are_paced_by_their_own_limiter()
    {
        Server.RateLimits = new ServerRateLimits { Requests = 3, Window = TimeSpan.FromSeconds(1) };

        var result = Ps.Invoke("1..12 | ForEach-Object { \"text $_\" } | Get-LlmEmbedding -ApiKey $Key -BatchSize 1 -ThrottleLimit 8 -NoCache");

        Assert.Empty(result.Errors);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"text {i}"), result.Output.Select(o => (string)o.Properties["Text"].Value));
        Assert.Equal(0, Server.RateLimits.Refused);
    }

    [Fact]
    public void A_long_wait_for_quota_is_a_warning_once_without_verbose()
    {
        // why 11 s: the second request waits for the one-request bucket to refill, past the 10 s that merit a warning
        Server.RateLimits = new ServerRateLimits { Requests = 1, Window = TimeSpan.FromSeconds(11) };

        var result = Ps.Invoke("'a','b' | Send-LlmMessage -ApiKey $Key -ThrottleLimit 2");

        AllAnsweredInOrder(result, 2, prefix: null);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("have waited", warning.Message);
        Assert.Contains("rate limit", warning.Message);
    }

    private static void AllAnsweredInOrder(ScriptResult result, int count, string? prefix = "Echo: prompt number ")
    {
        Assert.Empty(result.Errors);
        Assert.Equal(count, result.Output.Count);
        if (prefix is null)
        {
            return;
        }

        var expected = Enumerable.Range(1, count).Select(i => prefix == "Echo: p" ? $"Echo: p{i}" : $"{prefix}{i} of the paced run");
        Assert.Equal(expected, result.Output.Select(o => o.ToString()));
    }
}

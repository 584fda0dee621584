using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class SendLlmMessageRetryTests : LlmTestContext
{
    [Fact]
    public void Three_rate_limits_then_success_is_four_requests_and_one_response()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 0));
        }

        var result = Ps.InvokeVerbose("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hi", result.Output.Single().ToString());
        Assert.Equal(4, Server.CountOf(LlmRoute.Chat));
        var retries = result.Verbose.Select(v => v.Message).Where(m => m.Contains("Trying again when the rate limit allows", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, retries.Count);
        Assert.StartsWith("Rate limited by", retries[0]);
        Assert.Contains(result.Verbose, v => v.Message.Contains("3 refused in a row", StringComparison.Ordinal));
    }

    [Fact]
    public void Refusals_do_not_count_against_MaxAttempts()
    {
        for (var i = 0; i < 4; i++)
        {
            Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 0));
        }

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -MaxAttempts 2");

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hi", result.Output.Single().ToString());
        Assert.Equal(5, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_server_that_only_refuses_ends_after_five_refusals_in_a_row_not_in_a_loop()
    {
        for (var i = 0; i < 20; i++)
        {
            Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 0));
        }

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RateLimited,", error.FullyQualifiedErrorId);
        Assert.Matches(@"Refused 5 times in a row over [\d.]+ s of waiting while no other request of this model got through", error.Exception.Message);
        Assert.Equal(5, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_refused_request_fails_once_RATE_LIMIT_WAIT_is_spent_and_says_how_long_it_waited()
    {
        File.AppendAllText(Ps.ConfigPath, "RATE_LIMIT_WAIT=0.5\n");
        for (var i = 0; i < 50; i++)
        {
            Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 1));
        }

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RateLimited,", error.FullyQualifiedErrorId);
        Assert.Contains("after 1 refusal", error.Exception.Message);
        Assert.Contains("more than RATE_LIMIT_WAIT (0.5 s) allows", error.Exception.Message);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    public void Server_errors_and_408_are_retried(int status)
    {
        Server.EnqueueFault(Fault.Status(status, "temporary trouble"));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Theory]
    [InlineData(400, "BadRequest")]
    [InlineData(401, "AuthenticationFailed")]
    [InlineData(403, "PermissionDenied")]
    [InlineData(404, "ModelNotFound")]
    public void Client_errors_are_not_retried_and_carry_the_server_message(int status, string errorId)
    {
        Server.EnqueueFault(Fault.Status(status, "the server explains " + status));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId + ",LlmTools.Commands.SendLlmMessageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("the server explains " + status, error.Exception.Message);
        Assert.Equal("hi", error.TargetObject);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Theory]
    [InlineData("context_length_exceeded", "ContextLengthExceeded")]
    [InlineData("content_filter", "ContentFiltered")]
    public void Known_400_codes_get_their_own_error_id(string code, string errorId)
    {
        Server.EnqueueFault(Fault.Status(400, "server explanation") with { ErrorCode = code });

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.StartsWith(errorId + ",", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_exhausted_quota_is_not_retried()
    {
        Server.EnqueueFault(Fault.QuotaExceeded());

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.StartsWith("QuotaExceeded,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void MaxAttempts_bounds_the_attempts_and_the_last_error_is_reported()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.EnqueueFault(Fault.ServerError(503));
        }

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -MaxAttempts 2");

        Assert.StartsWith("ServerError,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Retry_after_ms_is_honoured_and_retry_after_is_capped()
    {
        File.AppendAllText(Ps.ConfigPath, "MAX_RETRY_DELAY=0.2\n");
        Server.EnqueueFault(Fault.RateLimited() with { RetryAfterMs = "50" });
        Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 3600));

        var result = Ps.InvokeVerbose("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.Single(result.Output);
        var pauses = result.Verbose.Select(v => v.Message).Where(m => m.StartsWith("Refused (429)", StringComparison.Ordinal)).ToList();
        Assert.Contains("waits 0.05 s (server asked for 0.05 s)", pauses[0]);
        Assert.Contains("waits 0.2 s (server asked for 3600 s)", pauses[1]);
    }

    [Fact]
    public void A_dropped_connection_is_retried()
    {
        Server.EnqueueFault(Fault.Drop());

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_clear_error_and_stops_the_command()
    {
        // why stop: each later item would wait out the same retries and fail alike (hours for a big CSV)
        var result = Ps.Invoke("1..50 | ForEach-Object { \"q$_\" } | Send-LlmMessage -Endpoint 'http://127.0.0.1:9/v1' -MaxAttempts 2");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("EndpointUnreachable,", e.FullyQualifiedErrorId));
        Assert.Contains("127.0.0.1:9", result.Errors[0].Exception.Message);
        Assert.Equal("q1", result.Errors[0].TargetObject);
        Assert.Contains("Stopped after 0 answered item(s): the endpoint cannot be reached", result.Errors[1].Exception.Message);

        var single = Ps.Invoke("Send-LlmMessage 'one' -Endpoint 'http://127.0.0.1:9/v1' -MaxAttempts 1");
        Assert.Single(single.Errors); // nothing was left to spare, so no closing message

        var embeddings = Ps.Invoke("1..50 | ForEach-Object { \"t$_\" } | Get-LlmEmbedding -BatchSize 1 -Endpoint 'http://127.0.0.1:9/v1' -MaxAttempts 2");
        Assert.Contains("the endpoint cannot be reached", embeddings.Errors[^1].Exception.Message);
        Assert.InRange(embeddings.Errors.Count, 2, 3);
    }

    [Fact]
    public void A_slow_server_times_out_per_attempt()
    {
        Server.EnqueueFault(Fault.Slow(TimeSpan.FromSeconds(5)));
        Server.EnqueueFault(Fault.Slow(TimeSpan.FromSeconds(5)));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -TimeoutSec 0.2 -MaxAttempts 2");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RequestTimedOut,", error.FullyQualifiedErrorId);
        Assert.Contains("-TimeoutSec", error.Exception.Message);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void One_failing_item_does_not_stop_the_others()
    {
        Server.ChatReply = request => "ok";
        Server.EnqueueFault(Fault.Status(400, "bad one"));

        var result = Ps.Invoke("'first', 'second', 'third' | Send-LlmMessage -ApiKey $Key -MaxAttempts 1");

        Assert.Equal(2, result.Output.Count);
        Assert.Equal("first", Assert.Single(result.Errors).TargetObject);
        Assert.Equal(["second", "third"], result.Output.Select(o => o.Properties["InputObject"].Value));
    }
}

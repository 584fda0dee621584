using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>Issue 16: a misbehaving server never gets a wrong answer cached, never holds an item for minutes, and every failure says what happened.</summary>
public sealed class HostileServerCmdletTests : LlmTestContext
{
    [Fact]
    public void A_stream_without_a_finish_reason_is_an_error_with_its_text_and_is_never_served_again()
    {
        Server.EnqueueFault(Fault.Stream(cut: false, Fault.Chunk("Half an "), Fault.Chunk("answer"), "[DONE]"));

        var result = Ps.Invoke("""
            Send-LlmMessage 'hi' -ApiKey $Key -Stream -Cache
            Send-LlmMessage 'hi' -ApiKey $Key -Cache
            Send-LlmMessage 'hi' -ApiKey $Key -Cache -Stream
            """);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ResponseIncomplete,", error.FullyQualifiedErrorId);
        Assert.Equal("Half an answer", PartialContent(error));
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Echo: hi", o.Properties["Content"].Value));
        Assert.Equal([false, true], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_stream_cut_after_text_keeps_the_text_and_is_not_retried()
    {
        Server.EnqueueFault(Fault.Stream(cut: true, Fault.Chunk("Shown "), Fault.Chunk("text")));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Stream -Cache; Get-LlmCache");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ResponseIncomplete,", error.FullyQualifiedErrorId);
        Assert.Equal("Shown text", PartialContent(error));
        Assert.StartsWith("The answer stopped after 10 characters", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    // why reflection: the engine lives in the module's load context; the test sees its exception as an object
    private static object? PartialContent(System.Management.Automation.ErrorRecord error) =>
        error.Exception.GetType().GetProperty("PartialContent")!.GetValue(error.Exception);

    [Fact]
    public void A_silent_server_is_tried_twice_not_five_times()
    {
        for (var i = 0; i < 5; i++)
        {
            Server.EnqueueFault(Fault.Hang());
        }

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -TimeoutSec 1");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("RequestTimedOut,", error.FullyQualifiedErrorId);
        Assert.Contains("retried once", error.Exception.Message);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_absurd_Retry_After_still_reports_the_servers_503()
    {
        Server.EnqueueFault(Fault.ServerError(503) with { RetryAfter = "Infinity" });

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -MaxAttempts 1");
        Server.EnqueueFault(Fault.ServerError(503) with { RetryAfter = "1e300" });
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nMAX_RETRY_DELAY=0.1\n");
        var retried = Ps.InvokeVerbose("Send-LlmMessage 'hi' -ApiKey $Key -MaxAttempts 2 -TimeoutSec 5");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ServerError,", error.FullyQualifiedErrorId);
        Assert.Contains("(503)", error.Exception.Message);
        // why not "86400 s": the server never said a number like that; the wait is MAX_RETRY_DELAY (0.1 s here) anyway
        Assert.Contains(retried.Warnings.Select(w => w.Message).Concat(retried.Verbose.Select(v => v.Message)), m => m.Contains("(server asked for a day or more)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_200_html_page_is_InvalidResponse()
    {
        Server.EnqueueFault(Fault.Raw(200, "<!doctype html><title>Sign in</title>", "text/html"));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache; Get-LlmCache");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidResponse,", error.FullyQualifiedErrorId);
        Assert.Contains("HTML", error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Vectors_of_another_length_than_asked_fail_and_are_not_cached()
    {
        Server.EmbeddingAnsweredDimensions = 8;

        var result = Ps.Invoke("Get-LlmEmbedding 'a', 'b' -ApiKey $Key -Dimensions 16 -MaxAttempts 1; Get-LlmCache -Kind embedding");

        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidResponse,", e.FullyQualifiedErrorId));
        Assert.Contains("8 numbers where -Dimensions asked for 16", result.Errors[0].Exception.Message);
    }

    [Fact]
    public void An_index_out_of_range_fails_the_batch_with_what_happened()
    {
        Server.EnqueueFault(Fault.Raw(200,
            "{\"object\":\"list\",\"model\":\"m\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]},{\"object\":\"embedding\",\"index\":7,\"embedding\":[0.3,0.4]}]}")
            .For(LlmRoute.Embeddings));

        var result = Ps.Invoke("Get-LlmEmbedding 'a', 'b' -ApiKey $Key -MaxAttempts 1; Get-LlmCache -Kind embedding");

        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidResponse,", e.FullyQualifiedErrorId));
        Assert.Contains("out of range", result.Errors[0].Exception.Message);
    }

    [Fact]
    public void One_text_the_server_refuses_fails_alone_and_the_others_get_vectors()
    {
        Server.EmbeddingPoisonText = "poison";

        var result = Ps.Invoke("'one', 'two', 'poison', 'four' | Get-LlmEmbedding -ApiKey $Key -BatchSize 4 -MaxAttempts 2");

        Assert.Equal(["one", "two", "four"], result.Output.Select(o => o.Properties["Text"].Value));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ServerError,", error.FullyQualifiedErrorId);
        Assert.Equal("poison", error.TargetObject?.ToString());
        // the batch, its halves, the halves of the bad half, and the bad text's second attempt
        Assert.Equal(6, Server.CountOf(LlmRoute.Embeddings));
    }

    [Fact]
    public void A_self_referencing_JsonSchema_is_an_error_not_a_dead_process()
    {
        var result = Ps.Invoke("$s = @{ type = 'object' }; $s.properties = @{ self = $s }; Send-LlmMessage 'hi' -ApiKey $Key -JsonSchema $s");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidInput,", error.FullyQualifiedErrorId);
        Assert.Contains("contains itself", error.Exception.Message);
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_20000_deep_JsonSchema_is_an_error_not_a_dead_process()
    {
        var result = Ps.Invoke("$s = @{}; $c = $s; foreach ($i in 1..20000) { $n = @{}; $c.x = $n; $c = $n }; Send-LlmMessage 'hi' -ApiKey $Key -JsonSchema $s");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidInput,", error.FullyQualifiedErrorId);
        Assert.Contains("more than 32 levels", error.Exception.Message);
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_fifo_at_an_entry_path_hangs_nothing_and_Clear_All_removes_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no FIFOs
        }

        var first = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache; (Get-LlmCache).Path");
        var path = (string)first.Output[1].BaseObject;
        File.Delete(path);
        System.Diagnostics.Process.Start("mkfifo", path).WaitForExit();

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache -WarningVariable w -WarningAction SilentlyContinue; $w; Get-LlmCache | ForEach-Object IsCorrupt; Clear-LlmCache -All -Confirm:$false; @(Get-LlmCache).Count");

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hi", result.Output[0].Properties["Content"].Value);
        Assert.Contains("not a regular file", result.Output[1].ToString());
        Assert.Equal(0, (int)result.Output[^1].BaseObject);
    }

    [Fact]
    public void A_file_too_large_to_count_fails_alone_and_the_pipeline_goes_on()
    {
        var folder = Directory.CreateTempSubdirectory("llmtools-big-").FullName;
        try
        {
            var big = Path.Combine(folder, "big.txt");
            using (var stream = File.Create(big))
            {
                stream.SetLength(257L * 1024 * 1024); // sparse: no disk space, nothing read
            }

            var small = Path.Combine(folder, "small.txt");
            File.WriteAllText(small, "hello world");
            Ps.SetVariable("Files", new[] { big, small });

            var result = Ps.Invoke("Measure-LlmTokens -LiteralPath $Files");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("FileReadFailed,", error.FullyQualifiedErrorId);
            Assert.Contains("256 MiB", error.Exception.Message);
            Assert.Single(result.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

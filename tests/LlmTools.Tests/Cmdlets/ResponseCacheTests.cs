using System.Text.RegularExpressions;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class ResponseCacheTests : LlmTestContext
{
    private string[] EntryFiles() => Directory.Exists(Ps.CacheDirectory)
        ? Directory.GetFiles(Ps.CacheDirectory, "*.json", SearchOption.AllDirectories)
        : [];

    [Fact]
    public void A_hit_returns_the_same_response_marked_cached_without_a_request()
    {
        var result = Ps.Invoke("$a = Send-LlmMessage 'hi' -ApiKey $Key -Cache; $b = Send-LlmMessage 'hi' -ApiKey $Key -Cache; $a; $b");

        Assert.Empty(result.Errors);
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
        Assert.Equal([false, true], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(result.Output[0].ToString(), result.Output[1].ToString());
        Assert.Equal(result.Output[0].Properties["TotalTokens"].Value, result.Output[1].Properties["TotalTokens"].Value);
        Assert.Single(EntryFiles());
    }

    [Fact]
    public void CACHE_API_CALLS_turns_it_on_and_NoCache_bypasses_it()
    {
        File.AppendAllText(Ps.ConfigPath, "[OpenAI]\nCACHE_API_CALLS=True\n");

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key; Send-LlmMessage 'hi' -ApiKey $Key; Send-LlmMessage 'hi' -ApiKey $Key -NoCache");

        Assert.Equal([false, true, false], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void The_key_is_the_semantic_request_never_the_api_key_or_timeout()
    {
        var result = Ps.Invoke("""
            Send-LlmMessage 'hi' -ApiKey $Key -Cache -TimeoutSec 30
            Send-LlmMessage 'hi' -ApiKey 'fake-another-key-9999999999' -Cache -TimeoutSec 99 -MaxAttempts 1
            Send-LlmMessage 'hi' -ApiKey $Key -Cache -Temperature 0.3
            Send-LlmMessage 'hi' -ApiKey $Key -Cache -Model gpt-4.1
            """);

        Assert.Equal([false, true, false, false], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(3, Server.CountOf(LlmRoute.Chat));
        foreach (var file in EntryFiles())
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(Key, text);
            Assert.DoesNotContain("fake-another-key", text);
        }
    }

    [Fact]
    public void Cache_files_are_owner_only_on_unix()
    {
        Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache");

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EntryFiles().Single()));
        }
    }

    [Fact]
    public void A_failed_call_writes_nothing()
    {
        Server.EnqueueFault(Fault.Status(400, "no"));

        Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache");

        Assert.Empty(EntryFiles());
    }

    [Fact]
    public void A_stream_is_cached_once_complete()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache -Stream; Send-LlmMessage 'hi' -ApiKey $Key -Cache; Send-LlmMessage 'hi' -ApiKey $Key -Cache -Stream");

        Assert.Equal([false, true, true], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(1, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void An_unreadable_entry_is_a_miss_and_a_warning_then_replaced()
    {
        Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache");
        var file = EntryFiles().Single();
        File.WriteAllText(file, "{\"format\":1,\"key\":\"tor");

        var again = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache; Send-LlmMessage 'hi' -ApiKey $Key -Cache");

        Assert.Empty(again.Errors);
        Assert.Contains(file, Assert.Single(again.Warnings).Message);
        Assert.Equal([false, true], again.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Entries_older_than_CACHE_TTL_are_misses()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nCACHE_TTL=3600\n");
        Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache");
        var file = EntryFiles().Single();
        File.WriteAllText(file, Regex.Replace(File.ReadAllText(file), "\"created\":\"[^\"]+\"", "\"created\":\"2020-01-01T00:00:00+00:00\""));

        var result = Ps.Invoke("Send-LlmMessage 'hi' -ApiKey $Key -Cache");

        Assert.False((bool)result.Output.Single().Properties["Cached"].Value);
        Assert.Equal(2, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void ReadOnly_reads_but_never_writes()
    {
        var result = Ps.Invoke("Send-LlmMessage 'new' -ApiKey $Key -Cache -CacheMode ReadOnly; Send-LlmMessage 'new' -ApiKey $Key -Cache -CacheMode ReadOnly");

        Assert.Equal([false, false], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Empty(EntryFiles());
    }

    [Fact]
    public void Replay_answers_from_the_cache_offline_and_a_miss_is_a_clear_error()
    {
        Ps.Invoke("Send-LlmMessage 'recorded' -ApiKey $Key -Cache; Get-LlmEmbedding 'vector me' -ApiKey $Key");
        var requestsBefore = Server.Requests.Count;

        // no key this time: replay needs none, and the server's request count shows nothing was sent
        var result = Ps.Invoke("""
            'recorded', 'never seen' | Send-LlmMessage -CacheMode Replay
            Get-LlmEmbedding 'vector me' -CacheMode Replay
            """);

        Assert.Equal(requestsBefore, Server.Requests.Count);
        Assert.Equal([true, true], result.Output.Select(o => (bool)o.Properties["Cached"].Value));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("CacheReplayMiss,", error.FullyQualifiedErrorId);
        Assert.Equal("never seen", error.TargetObject);
        Assert.Contains("replay", error.Exception.Message);
    }

    [Fact]
    public void TinyTroupe_cache_file_name_is_accepted_and_explained()
    {
        File.AppendAllText(Ps.ConfigPath, "[OpenAI]\nCACHE_FILE_NAME=openai_api_cache.pickle\nCACHE_API_CALLS=True\n");

        var result = Ps.InvokeVerbose("Send-LlmMessage 'hi' -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Contains(result.Verbose, v => v.Message.Contains("pickle caches are not imported", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Ps.WorkingDirectory, "openai_api_cache.pickle")));
    }

    [Fact]
    public void Embeddings_send_only_misses_and_keep_input_order()
    {
        Ps.Invoke("1..250 | ForEach-Object { \"t$_\" } | Get-LlmEmbedding -ApiKey $Key -BatchSize 100");
        Assert.Equal(3, Server.CountOf(LlmRoute.Embeddings));
        Server.ClearRequests();

        var again = Ps.Invoke("1..250 | ForEach-Object { \"t$_\" } | Get-LlmEmbedding -ApiKey $Key -BatchSize 100");
        Assert.Equal(0, Server.CountOf(LlmRoute.Embeddings));
        Assert.All(again.Output, o => Assert.True((bool)o.Properties["Cached"].Value));

        var mixed = Ps.Invoke("'new-a', 't1', 'new-b', 't2' | Get-LlmEmbedding -ApiKey $Key");
        Assert.Equal(["new-a", "t1", "new-b", "t2"], mixed.Output.Select(o => o.Properties["Text"].Value));
        Assert.Equal([false, true, false, true], mixed.Output.Select(o => (bool)o.Properties["Cached"].Value));
        Assert.Equal(["new-a", "new-b"], Server.Requests.Single().Json!["input"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public void Embedding_hits_stream_out_as_they_come_in()
    {
        Ps.Invoke("'t1', 't2', 't3' | Get-LlmEmbedding -ApiKey $Key");

        var result = Ps.Invoke("""
            $log = [System.Collections.Generic.List[string]]::new()
            & { foreach ($t in 't1', 't2', 't3') { $log.Add("in $t"); $t } } | Get-LlmEmbedding -ApiKey $Key | ForEach-Object { $log.Add("out $($_.Text)") }
            $log
            """);

        Assert.Equal(["in t1", "out t1", "in t2", "out t2", "in t3", "out t3"], result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Parallel_runspaces_share_one_cache_without_torn_entries()
    {
        var result = Ps.Invoke("""
            $manifest = $args[0]; $endpoint = $args[1]; $dir = $PWD.Path
            1..24 | ForEach-Object -ThrottleLimit 6 -Parallel {
                $ExecutionContext.SessionState.Path.SetLocation($using:dir) | Out-Null
                Import-Module $using:manifest
                Send-LlmMessage "prompt $($_ % 4)" -Endpoint $using:endpoint -ApiKey $using:Key -Cache
            }
            Get-LlmCache
            """, RepoPaths.ModuleManifest, Server.OpenAIEndpoint);

        var responses = result.Output.Where(o => o.BaseObject.GetType().Name == "LlmResponse").ToList();
        var entries = result.Output.Where(o => o.BaseObject.GetType().Name == "LlmCacheEntry").ToList();
        Assert.Equal(24, responses.Count);
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.False((bool)e.Properties["IsCorrupt"].Value));
        Assert.InRange(Server.CountOf(LlmRoute.Chat), 4, 24);
        Assert.Empty(Directory.GetFiles(Ps.CacheDirectory, "*.tmp", SearchOption.AllDirectories));
    }
}

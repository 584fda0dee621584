using System.Management.Automation;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

public sealed class GetLlmEmbeddingTests : LlmTestContext
{
    [Fact]
    public void Texts_are_sent_in_batches_and_come_back_in_input_order()
    {
        var result = Ps.Invoke("1..250 | ForEach-Object { \"text number $_\" } | Get-LlmEmbedding -ApiKey $Key -BatchSize 100");

        Assert.Empty(result.Errors);
        Assert.Equal(3, Server.CountOf(LlmRoute.Embeddings));
        Assert.Equal([100, 100, 50], Server.Requests.Select(r => r.Json!["input"]!.AsArray().Count));
        Assert.Equal(250, result.Output.Count);
        for (var i = 0; i < 250; i++)
        {
            var embedding = result.Output[i];
            Assert.Equal($"text number {i + 1}", embedding.Properties["Text"].Value);
            Assert.Equal(i, embedding.Properties["Index"].Value);
            Assert.Equal(LoopbackLlmServer.EmbeddingFor($"text number {i + 1}"), (float[])embedding.Properties["Vector"].Value);
        }
    }

    [Fact]
    public void A_server_that_answers_fewer_vectors_than_texts_fails_each_text_and_caches_nothing()
    {
        Server.EmbeddingAnswerLimit = 2;

        var result = Ps.Invoke("Get-LlmEmbedding 'a', 'b', 'c' -ApiKey $Key -MaxAttempts 1; Get-LlmCache -Kind embedding");

        Assert.Empty(result.Output);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("InvalidResponse,", e.FullyQualifiedErrorId));
        Assert.Contains("2 of 3", result.Errors[0].Exception.Message);
    }

    [Fact]
    public void Objects_bind_by_their_Text_property_and_come_back_as_InputObject()
    {
        var result = Ps.Invoke("[pscustomobject]@{ Id = 7; Text = 'alpha' }, [pscustomobject]@{ Id = 8; Text = 'beta' } | Get-LlmEmbedding -ApiKey $Key -Dimensions 16");

        Assert.Empty(result.Errors);
        Assert.Equal([7, 8], result.Output.Select(o => ((PSObject)o.Properties["InputObject"].Value).Properties["Id"].Value));
        Assert.All(result.Output, o => Assert.Equal(16, o.Properties["Dimensions"].Value));
        Assert.Equal(16, (int)Server.Requests[0].Json!["dimensions"]!);
        Assert.Equal("text-embedding-3-small", (string)Server.Requests[0].Json!["model"]!);
    }

    [Fact]
    public void Empty_and_too_long_texts_fail_alone_and_are_never_sent()
    {
        Ps.SetVariable("Long", string.Join(' ', Enumerable.Repeat("token", 9000)));

        var result = Ps.Invoke("'first', '', $Long, 'last' | Get-LlmEmbedding -ApiKey $Key");

        Assert.Equal(["first", "last"], result.Output.Select(o => o.Properties["Text"].Value));
        Assert.Equal([0, 3], result.Output.Select(o => o.Properties["Index"].Value));
        Assert.Equal(["InvalidInput", "InputTooLong"], result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Contains("8191", result.Errors[1].Exception.Message);
        Assert.Equal(["first", "last"], Server.Requests.Single().Json!["input"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public void A_failed_batch_reports_each_of_its_items_and_later_batches_go_on()
    {
        // why 403: it says nothing about one text, so the batch is not split (a 400 or 500 is; see HostileServerCmdletTests)
        Server.EnqueueFault(Fault.Status(403, "bad batch").For(LlmRoute.Embeddings));

        var result = Ps.Invoke("'a', 'b', 'c' | Get-LlmEmbedding -ApiKey $Key -BatchSize 2");

        Assert.Equal(["a", "b"], result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e => Assert.Contains("bad batch", e.Exception.Message));
        Assert.Equal("c", result.Output.Single().Properties["Text"].Value);
    }

    [Fact]
    public void Rate_limits_are_retried_like_chat()
    {
        Server.EnqueueFault(Fault.RateLimited(retryAfterSeconds: 0).For(LlmRoute.Embeddings));

        var result = Ps.Invoke("Get-LlmEmbedding 'hello' -ApiKey $Key");

        Assert.Empty(result.Errors);
        Assert.Equal(2, Server.CountOf(LlmRoute.Embeddings));
    }

    [Fact]
    public void Azure_deployments_work_too()
    {
        var result = Ps.Invoke("Get-LlmEmbedding 'hello', 'world' -Provider Azure -Endpoint $args[0] -Model emb-deploy -ApiKey $Key", Server.AzureEndpoint);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.Equal("/openai/deployments/emb-deploy/embeddings", Server.Requests.Single().Path);
    }

    [Fact]
    public void Cosine_similarity_compares_two_embeddings()
    {
        var result = Ps.Invoke("$a, $b = Get-LlmEmbedding 'same', 'other' -ApiKey $Key; $a.CosineSimilarity($a); $a.CosineSimilarity($b)");

        Assert.Equal(1.0, (double)result.Output[0].BaseObject, 6);
        Assert.InRange((double)result.Output[1].BaseObject, -1.0, 0.999);
    }

    [Fact]
    public void Batches_also_respect_the_tokens_per_request_limit()
    {
        // 40 texts of about 8,000 tokens each: 320,000 tokens, more than one request may carry (300,000)
        Ps.SetVariable("Big", string.Join(' ', Enumerable.Repeat("token", 7990)));

        var result = Ps.Invoke("1..40 | ForEach-Object { \"$_ $Big\" } | Get-LlmEmbedding -ApiKey $Key -BatchSize 100");

        Assert.Empty(result.Errors);
        Assert.Equal(40, result.Output.Count);
        var sizes = Server.Requests.Select(r => r.Json!["input"]!.AsArray().Count).ToList();
        Assert.Equal(2, sizes.Count);
        Assert.Equal(40, sizes.Sum());
    }

    [Fact]
    public async Task Stop_cancels_a_hanging_batch()
    {
        Server.EnqueueFault(Fault.Hang());

        using var ps = System.Management.Automation.PowerShell.Create(Ps.Runspace);
        ps.AddScript("Get-LlmEmbedding 'a', 'b' -ApiKey $Key -TimeoutSec 600");
        var invocation = ps.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => Server.CountOf(LlmRoute.Embeddings) == 1, TimeSpan.FromSeconds(20)), "request never arrived");

        await Task.Run(ps.Stop).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(invocation));
        Assert.Empty(Directory.Exists(Ps.CacheDirectory) ? Directory.GetFiles(Ps.CacheDirectory, "*.json", SearchOption.AllDirectories) : []);
    }
}

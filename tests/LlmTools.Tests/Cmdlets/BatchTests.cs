using System.Management.Automation;
using System.Text;
using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Batch jobs against the loopback server's Files and Batch API (a status that advances one step per GET, output lines
/// in reverse input order, a line that fails on purpose): the same objects, order and cache as the synchronous path.
/// </summary>
public sealed class BatchTests : LlmTestContext
{
    // why: one dollar per thousand tokens makes the batch price (half) easy to check by hand
    protected override string ExtraConfig => "\n[Prices]\npriced-model = 1000, 500, 1000\n";

    private const string Receive = "Receive-LlmBatch -ApiKey $Key -Wait -PollIntervalSec 0.01";

    private static object? P(PSObject o, string name) => o.Properties[name]?.Value;

    /// <summary>The error that stopped the command: a statement-terminating error lands in the error stream of a script.</summary>
    private static ErrorRecord Stop(ScriptResult result) =>
        (result.Terminating as IContainsErrorRecord)?.ErrorRecord ?? result.Errors.Last();

    private List<JsonObject> UploadedLines(int skipFiles = 0) => Server.Batches.UploadedBatchFiles.Skip(skipFiles)
        .SelectMany(f => Encoding.UTF8.GetString(f).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        .Select(l => JsonNode.Parse(l)!.AsObject())
        .ToList();

    [Fact]
    public void Chat_answers_come_back_in_input_order_with_inputs_attached_usage_at_the_batch_price_and_a_failed_line_as_its_error()
    {
        var result = Ps.Invoke(
            "$rows = 'alpha', 'beta FAIL-THIS-LINE', 'gamma', 'delta' | ForEach-Object { [pscustomobject]@{ Title = $_ } }; " +
            "$job = $rows | Send-LlmMessage -Template 'Say {{Title}}' -Model priced-model -ApiKey $Key -AsBatch; $job | " + Receive);

        Assert.Null(result.Terminating);
        Assert.Equal(["Echo: Say alpha", "Echo: Say gamma", "Echo: Say delta"], result.Output.Select(o => P(o, "Content")));
        Assert.Equal(["alpha", "gamma", "delta"], result.Output.Select(o => P((PSObject)P(o, "InputObject")!, "Title")?.ToString()));
        Assert.All(result.Output, o => Assert.False((bool)P(o, "Cached")!));
        var first = result.Output[0];
        Assert.Equal(2, P(first, "PromptTokens"));
        Assert.Equal(3, P(first, "CompletionTokens"));
        Assert.Equal(0.0025m, P(first, "Cost")); // why: 5 tokens at $1 per thousand, halved
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("BadRequest,", error.FullyQualifiedErrorId);
        Assert.Contains("refused on purpose", error.Exception.Message);
        Assert.Equal("beta FAIL-THIS-LINE", P((PSObject)error.TargetObject, "Title")?.ToString());
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Each_line_is_the_synchronous_request_with_a_custom_id_per_input()
    {
        var result = Ps.Invoke(
            "Send-LlmMessage 'Who wrote Dune?' -SystemPrompt 'Be terse.' -MaxTokens 40 -Temperature 0.5 -Json -ApiKey $Key -NoCache | Out-Null; " +
            "Send-LlmMessage 'Who wrote Dune?', 'Who wrote Emma?' -SystemPrompt 'Be terse.' -MaxTokens 40 -Temperature 0.5 -Json -ApiKey $Key -AsBatch");

        Assert.Null(result.Terminating);
        var lines = UploadedLines();
        Assert.Equal(["item-0", "item-1"], lines.Select(l => (string)l["custom_id"]!));
        Assert.All(lines, l => Assert.Equal("POST", (string)l["method"]!));
        Assert.All(lines, l => Assert.Equal("/v1/chat/completions", (string)l["url"]!));
        var synchronous = Server.Requests.Single(r => r.Route == LlmRoute.Chat).Json!.ToJsonString();
        Assert.Equal(synchronous, lines[0]["body"]!.ToJsonString());
        var create = Server.Requests.Single(r => r.Route == LlmRoute.Batch && r.Method == "POST" && r.Path == "/v1/batches").Json!;
        Assert.Equal("/v1/chat/completions", (string)create["endpoint"]!);
        Assert.Equal("24h", (string)create["completion_window"]!);
        var upload = Server.Requests.Single(r => r.Path == "/v1/files");
        Assert.Contains("name=purpose", upload.Body);
        Assert.Contains("batch", upload.Body);
        var job = Assert.Single(result.Output);
        Assert.Equal(2, P(job, "Sent"));
        Assert.DoesNotContain(Key, System.Management.Automation.PSSerializer.Serialize(job, 5));
    }

    [Fact]
    public void Received_answers_are_cached_so_the_synchronous_run_costs_nothing_and_cached_inputs_are_not_sent_again()
    {
        Ps.Invoke("'one', 'two' | Send-LlmMessage -ApiKey $Key -AsBatch | " + Receive + " | Out-Null");
        Server.ClearRequests();

        var synchronous = Ps.Invoke("'one', 'two' | Send-LlmMessage -ApiKey $Key -Cache");
        var again = Ps.Invoke("$job = 'one', 'three', 'two' | Send-LlmMessage -ApiKey $Key -AsBatch; $job.Sent; $job | " + Receive);

        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
        Assert.All(synchronous.Output, o => Assert.True((bool)P(o, "Cached")!));
        Assert.Equal(1, again.Output[0].BaseObject);
        Assert.Equal(["Echo: one", "Echo: three", "Echo: two"], again.Output.Skip(1).Select(o => P(o, "Content")));
        Assert.Equal([true, false, true], again.Output.Skip(1).Select(o => (bool)P(o, "Cached")!));
        Assert.Equal(["item-1"], UploadedLines(skipFiles: 1).Select(l => (string)l["custom_id"]!));
    }

    [Fact]
    public void A_job_saved_with_Export_Clixml_is_received_in_a_new_session_after_it_finishes()
    {
        // why PSSerializer at depth 2: it is what Export-Clixml writes by default (the hosted SDK ships no Utility module)
        Server.Batches.Hold = true;
        var path = Path.Combine(Ps.WorkingDirectory, "job.xml");
        var first = Ps.Invoke(
            "$path = $args[0]; [pscustomobject]@{ Id = 1; Title = 'red' }, [pscustomobject]@{ Id = 2; Title = 'blue' } | " +
            "Send-LlmMessage -Template 'Colour {{Title}}' -ApiKey $Key -AsBatch | ForEach-Object { [IO.File]::WriteAllText($path, [Management.Automation.PSSerializer]::Serialize($_, 2)) }; " +
            "[Management.Automation.PSSerializer]::Deserialize([IO.File]::ReadAllText($path)) | Receive-LlmBatch -ApiKey $Key", path);

        Assert.Empty(first.Output);
        Assert.True(first.Errors.Count == 1, first.AllText());
        Assert.StartsWith("BatchNotFinished,", first.Errors[0].FullyQualifiedErrorId);
        Server.Batches.Hold = false;
        using var restarted = new ModuleRunspace("[OpenAI]\nWAITING_TIME=0\nMODEL=gpt-4o-mini\n");
        restarted.SetVariable("Key", Key);
        var second = restarted.Invoke("[Management.Automation.PSSerializer]::Deserialize([IO.File]::ReadAllText($args[0])) | " + Receive, path);

        Assert.Empty(second.Errors);
        Assert.Equal(["Echo: Colour red", "Echo: Colour blue"], second.Output.Select(o => P(o, "Content")));
        Assert.Equal([1, 2], second.Output.Select(o => P((PSObject)P(o, "InputObject")!, "Id")));
        Assert.Contains(second.Progress!, p => p.Activity == "Receive-LlmBatch");
        var cached = restarted.Invoke("'Colour red' | Send-LlmMessage -ApiKey $Key -Endpoint $args[0] -Cache", Server.OpenAIEndpoint);
        Assert.True((bool)P(Assert.Single(cached.Output), "Cached")!);
    }

    [Fact]
    public void Ctrl_C_stops_the_wait_and_leaves_the_job_running_to_be_received_later()
    {
        Server.Batches.Hold = true;
        var job = Assert.Single(Ps.Invoke("'later' | Send-LlmMessage -ApiKey $Key -AsBatch").Output);
        Ps.SetVariable("Job", job);
        using (var ps = PowerShell.Create(Ps.Runspace))
        {
            ps.AddScript("$Job | " + Receive);
            var running = ps.BeginInvoke();
            // why a deadline and no timing: the wait has polled a few times once the server has seen three status checks
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Server.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1/batches/", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            ps.Stop(); // what Ctrl+C does
            Assert.True(running.IsCompleted);
        }

        Assert.DoesNotContain(Server.Requests, r => r.Path.EndsWith("/cancel", StringComparison.Ordinal));
        Server.Batches.Hold = false;
        var resumed = Ps.Invoke("$Job | " + Receive);
        Assert.Equal("Echo: later", P(Assert.Single(resumed.Output), "Content"));
    }

    [Fact]
    public void Embeddings_from_a_job_file_match_the_synchronous_vectors_and_fill_the_cache()
    {
        var result = Ps.Invoke(
            "'alpha', '', 'beta' | Get-LlmEmbedding -ApiKey $Key -Dimensions 16 -AsBatch -JobFile job.xml | Out-Null; " +
            "Receive-LlmBatch -JobFile job.xml -ApiKey $Key -Wait -PollIntervalSec 0.01");

        Assert.StartsWith("InvalidInput,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(["alpha", "beta"], result.Output.Select(o => P(o, "Text")));
        Assert.Equal([0, 1], result.Output.Select(o => P(o, "Index")));
        Assert.Equal(LoopbackLlmServer.EmbeddingFor("beta", 16), (float[])P(result.Output[1], "Vector")!);
        Assert.Equal("/v1/embeddings", (string)UploadedLines()[0]["url"]!);
        var synchronous = Ps.Invoke("'alpha', 'beta' | Get-LlmEmbedding -ApiKey $Key -Dimensions 16");
        Assert.All(synchronous.Output, o => Assert.True((bool)P(o, "Cached")!));
        Assert.Equal(0, Server.CountOf(LlmRoute.Embeddings));
    }

    [Fact]
    public void MergeInput_rows_come_back_with_the_answer_as_a_column()
    {
        var result = Ps.Invoke(
            "[pscustomobject]@{ Id = 7; Title = 'x' } | Send-LlmMessage -Template 'Say {{Title}}' -ApiKey $Key -MergeInput -AsBatch | " + Receive);

        var row = Assert.Single(result.Output);
        Assert.Equal(7, P(row, "Id"));
        Assert.Equal("Echo: Say x", P(row, "Answer"));
    }

    [Fact]
    public void A_server_without_a_batch_route_is_a_clear_error_naming_what_is_missing()
    {
        Server.Batches.Enabled = false;

        var result = Ps.Invoke("'hi' | Send-LlmMessage -ApiKey $Key -AsBatch");

        Assert.StartsWith("BatchUnsupported,", Stop(result).FullyQualifiedErrorId);
        Assert.Contains("/v1/files answered 404", Stop(result).Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void AsBatch_refuses_Stream_before_anything_is_sent()
    {
        var result = Ps.Invoke("'hi' | Send-LlmMessage -ApiKey $Key -AsBatch -Stream");

        Assert.StartsWith("InvalidInput,", Stop(result).FullyQualifiedErrorId);
        Assert.Contains("-Stream", Stop(result).Exception.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void A_batch_that_would_cross_the_budget_is_not_uploaded()
    {
        var result = Ps.Invoke("1..50 | ForEach-Object { \"question $_\" } | Send-LlmMessage -Model priced-model -MaxTokens 100 -CostBudget 0.5 -ApiKey $Key -AsBatch");

        Assert.StartsWith("BudgetExceeded,", Stop(result).FullyQualifiedErrorId);
        Assert.Contains("batch of 50 requests", Stop(result).Exception.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void Status_advances_a_stopped_batch_is_cancelled_and_its_inputs_are_errors()
    {
        var result = Ps.Invoke(
            "$job = 'a', 'b' | Send-LlmMessage -ApiKey $Key -AsBatch; ($job | Get-LlmBatch -ApiKey $Key).Status; " +
            "$job | Stop-LlmBatch -ApiKey $Key -PassThru | ForEach-Object Status; ($job | Get-LlmBatch -ApiKey $Key).Status; " +
            "(Get-LlmBatch -ApiKey $Key -First 1).BatchId -eq $job.BatchIds[0]; $job | " + Receive);

        Assert.Equal(["in_progress", "cancelling", "cancelled", true], result.Output.Select(o => o.BaseObject));
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("cancelled", e.Exception.Message));
        Assert.Equal(["a", "b"], result.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void Azure_uses_its_file_and_batch_routes_with_the_deployment_as_the_model()
    {
        Server.RequiredKey = Key;

        var result = Ps.Invoke(
            "$job = 'hello' | Send-LlmMessage -Provider Azure -Endpoint $args[0] -Model batch-deployment -ApiKey $Key -AsBatch; $job | " + Receive, Server.AzureEndpoint);

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: hello", P(Assert.Single(result.Output), "Content"));
        Assert.Equal("Azure", P(result.Output[0], "Provider"));
        var line = Assert.Single(UploadedLines());
        Assert.Equal("/chat/completions", (string)line["url"]!);
        Assert.Equal("batch-deployment", (string)line["body"]!["model"]!);
        Assert.All(Server.Requests.Where(r => r.Route == LlmRoute.Batch), r => Assert.StartsWith("/openai/", r.Path));
        Assert.All(Server.Requests.Where(r => r.Route == LlmRoute.Batch), r => Assert.NotNull(r.QueryValue("api-version")));
    }

    [Fact]
    public void An_output_file_larger_than_any_one_answer_may_be_is_received_whole()
    {
        // 1,600 answers of 70,000 characters: an output file of about 110 MB, past the 100 MiB cap of one answer
        Server.Batches.AnswerPadding = 70_000;
        Ps.SetVariable("Prompts", Enumerable.Range(0, 1600).Select(i => $"q{i}").ToArray());

        var result = Ps.Invoke("$r = @($Prompts | Send-LlmMessage -ApiKey $Key -AsBatch | " + Receive + "); $r.Count; $r[-1].Content.Substring(0, 11); $r[-1].Content.Length");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Equal([1600, "Echo: q1599", 70_011], result.Output.Select(o => o.BaseObject).ToArray()); // all, in order, whole
    }

    [Fact]
    public void A_job_file_that_cannot_be_written_stops_the_command_before_anything_is_uploaded()
    {
        var result = Ps.Invoke("'a', 'b' | Send-LlmMessage -ApiKey $Key -AsBatch -JobFile ./no/such/folder/job.xml");

        Assert.Equal("FileWriteFailed", Stop(result).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Nothing was uploaded", Stop(result).Exception.Message);
        Assert.Equal(0, Server.Batches.BatchCount);
        Assert.Empty(Server.Batches.UploadedBatchFiles);
    }

    [Fact]
    public void AsBatch_refuses_the_Responses_API_whose_requests_it_cannot_send()
    {
        var result = Ps.Invoke("'a' | Send-LlmMessage -ApiKey $Key -AsBatch -Api Responses");

        Assert.Contains("cannot be used with the Responses API", Stop(result).Exception.Message);
        Assert.Equal(0, Server.Batches.BatchCount);
    }

    [Fact]
    public void Inputs_cached_at_submit_come_back_on_a_machine_whose_cache_never_held_them()
    {
        Ps.Invoke("'known' | Send-LlmMessage -ApiKey $Key -Cache | Out-Null");
        var path = Path.Combine(Ps.WorkingDirectory, "job.xml");
        Ps.Invoke("'known', 'new' | Send-LlmMessage -ApiKey $Key -AsBatch -JobFile $args[0] | Out-Null", path);

        using var other = new ModuleRunspace("[OpenAI]\nWAITING_TIME=0\nMODEL=gpt-4o-mini\n"); // its own cache folder
        other.SetVariable("Key", Key);
        var result = other.Invoke("Receive-LlmBatch -JobFile $args[0] -ApiKey $Key -Wait -PollIntervalSec 0.01", path);

        Assert.Empty(result.Errors);
        Assert.Equal(["Echo: known", "Echo: new"], result.Output.Select(o => (string)P(o, "Content")!).ToArray());
        Assert.True((bool)P(result.Output[0], "Cached")!);
    }
    [Fact]
    public void A_line_no_reader_can_map_is_its_inputs_error_and_the_inputs_after_it_come_back()
    {
        var result = Ps.Invoke("'a', 'GARBAGE-THIS-LINE', 'c' | Send-LlmMessage -ApiKey $Key -AsBatch | " + Receive);

        Assert.Equal(["Echo: a", "Echo: c"], result.Output.Select(o => (string)P(o, "Content")!).ToArray());
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidResponse", error.FullyQualifiedErrorId);
        Assert.Equal("GARBAGE-THIS-LINE", error.TargetObject);
    }
    [Fact]
    public void A_job_file_that_is_a_folder_stops_the_command_before_anything_is_uploaded()
    {
        Directory.CreateDirectory(Path.Combine(Ps.WorkingDirectory, "jobs"));

        var result = Ps.Invoke("'a', 'b' | Send-LlmMessage -ApiKey $Key -AsBatch -JobFile jobs");

        Assert.Contains("is a folder", Stop(result).Exception.Message);
        Assert.Equal(0, Server.Batches.BatchCount);
    }

    [Fact]
    public void An_existing_job_file_is_never_overwritten()
    {
        var path = Path.Combine(Ps.WorkingDirectory, "job.xml");
        File.WriteAllText(path, "the only record of an earlier job");

        var result = Ps.Invoke("'a' | Send-LlmMessage -ApiKey $Key -AsBatch -JobFile $args[0]", path);

        Assert.Contains("exists", Stop(result).Exception.Message);
        Assert.Equal("the only record of an earlier job", File.ReadAllText(path));
        Assert.Equal(0, Server.Batches.BatchCount);
    }
    [Fact]
    public void WhatIf_with_AsBatch_estimates_at_the_batch_price()
    {
        var result = Ps.Invoke("""
            ('q' | Send-LlmMessage -Model priced-model -MaxTokens 100 -WhatIf).MaxCost
            ('q' | Send-LlmMessage -Model priced-model -MaxTokens 100 -AsBatch -WhatIf).MaxCost
            ('some words' | Get-LlmEmbedding -Model priced-model -WhatIf).MinCost
            ('some words' | Get-LlmEmbedding -Model priced-model -AsBatch -WhatIf).MinCost
            """);

        var costs = result.Output.Select(o => (decimal)o.BaseObject).ToArray();
        Assert.Equal(costs[0] / 2, costs[1]);
        Assert.Equal(costs[2] / 2, costs[3]);
        Assert.Equal(0, Server.Batches.BatchCount);
    }
    [Fact]
    public void The_batch_cmdlets_take_the_connection_parameters_of_every_other_cmdlet()
    {
        Server.EnqueueFault(Fault.ServerError(503).For(LlmRoute.Batch));

        var result = Ps.Invoke("Get-LlmBatch -Id batch_x -ApiKey $Key -MaxAttempts 1 -TimeoutSec 5");

        Assert.Contains("503", Assert.Single(result.Errors).Exception.Message);
        Assert.Equal(1, Server.CountOf(LlmRoute.Batch)); // -MaxAttempts 1: no retry
    }
}

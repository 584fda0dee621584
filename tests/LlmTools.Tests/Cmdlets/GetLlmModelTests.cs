using System.Text.Json.Nodes;
using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>
/// Get-LlmModel against the loopback server: OpenAI's GET /v1/models (API reference: "List models", answering
/// object "list" with data of id, object, created, owned_by), Azure's v1 GET /openai/v1/models, and Azure's data-plane
/// Models - List (GET {endpoint}/openai/models?api-version=2024-10-21, with capabilities and deprecation.inference);
/// the remembered list behind tab completion, and the shutdown warnings.
/// </summary>
public sealed class GetLlmModelTests : LlmTestContext
{
    private const string Names = "(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText";

    private static string Day(object? value) => ((DateTimeOffset)value!).UtcDateTime.ToString("yyyy-MM-dd");

    [Fact]
    public void Lists_the_servers_models_sorted_with_kinds_and_the_shipped_shutdown_dates()
    {
        var result = Ps.Invoke("Get-LlmModel -ApiKey $Key");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var ids = result.Output.Select(o => (string)o.Properties["Id"].Value).ToList();
        Assert.Equal(["gpt-4", "gpt-4o-mini", "my-org:ft-classifier", "text-embedding-3-small", "whisper-1"], ids);
        var byId = result.Output.ToDictionary(o => (string)o.Properties["Id"].Value);
        Assert.Equal("Chat", byId["gpt-4o-mini"].Properties["Kind"].Value);
        Assert.Equal("Embedding", byId["text-embedding-3-small"].Properties["Kind"].Value);
        Assert.Equal("Other", byId["whisper-1"].Properties["Kind"].Value);
        Assert.Equal("system", byId["gpt-4o-mini"].Properties["OwnedBy"].Value);
        Assert.Equal("2024-05-10", Day(byId["gpt-4o-mini"].Properties["Created"].Value));
        Assert.Equal("2026-10-23", Day(byId["gpt-4"].Properties["Shutdown"].Value)); // models.json, from OpenAI's deprecations page
        Assert.Null(byId["gpt-4o-mini"].Properties["Shutdown"].Value);
        Assert.Equal("OpenAI", byId["gpt-4"].Properties["Provider"].Value);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(("GET", "/v1/models", LlmRoute.Models), (request.Method, request.Path, request.Route));
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
    }

    [Fact]
    public void Name_takes_wildcards_and_Kind_filters()
    {
        var named = Ps.Invoke("Get-LlmModel -Name 'GPT-4*', '*embedding*'");
        var chat = Ps.Invoke("Get-LlmModel -Kind Chat");

        Assert.Equal(["gpt-4", "gpt-4o-mini", "text-embedding-3-small"], named.Output.Select(o => (string)o.Properties["Id"].Value));
        Assert.Equal(["gpt-4", "gpt-4o-mini", "my-org:ft-classifier"], chat.Output.Select(o => (string)o.Properties["Id"].Value));
    }

    [Fact]
    public void The_remembered_list_completes_model_names_by_kind_without_a_request()
    {
        Server.ModelsData = [ModelList.Model("llama3.1:8b", "library"), ModelList.Model("nomic-embed-text", "library")];
        Ps.Invoke("Get-LlmModel | Out-Null");
        Server.ClearRequests();

        var chat = Ps.Invoke(Names, "Send-LlmMessage -Model ").Output.Select(o => o.ToString()).ToList();
        var embedding = Ps.Invoke(Names, "Get-LlmEmbedding -Model nomic").Output.Select(o => o.ToString()).ToList();
        var either = Ps.Invoke(Names, "Measure-LlmTokens -Model ll").Output.Select(o => o.ToString()).ToList();

        Assert.Contains("llama3.1:8b", chat);
        Assert.DoesNotContain("nomic-embed-text", chat);
        Assert.Equal(["nomic-embed-text"], embedding);
        Assert.Equal(["llama3.1:8b"], either);
        Assert.Empty(Server.Requests); // completion never touches the network
        var file = Assert.Single(Directory.GetFiles(Path.Combine(Ps.CacheDirectory, "models")));
        Assert.Equal($"127.0.0.1_{Server.BaseUri.Port}.json", Path.GetFileName(file));
        Assert.DoesNotContain(Key, File.ReadAllText(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Azure_lists_the_resources_models_with_their_deprecation_dates_and_chat_warns_once()
    {
        var soon = DateTimeOffset.UtcNow.AddDays(30);
        Server.ModelsData = [ModelList.AzureModel("gpt-35-turbo", chat: true, embeddings: false, soon), ModelList.AzureModel("ada-embed", chat: false, embeddings: true, null)];

        var list = Ps.Invoke("Get-LlmModel -Provider Azure -Endpoint $Server.AzureEndpoint -ApiKey $Key -ApiVersion 2024-10-21");
        var send = Ps.Invoke("'a', 'b' | Send-LlmMessage -Provider Azure -Endpoint $Server.AzureEndpoint -ApiKey $Key -Model gpt-35-turbo; Send-LlmMessage 'c' -Provider Azure -Endpoint $Server.AzureEndpoint -ApiKey $Key -Model gpt-35-turbo");

        Assert.Null(list.Terminating);
        var byId = list.Output.ToDictionary(o => (string)o.Properties["Id"].Value);
        Assert.Equal("Chat", byId["gpt-35-turbo"].Properties["Kind"].Value);
        Assert.Equal("Embedding", byId["ada-embed"].Properties["Kind"].Value);
        Assert.Equal(soon.ToUnixTimeSeconds(), ((DateTimeOffset)byId["gpt-35-turbo"].Properties["Shutdown"].Value).ToUnixTimeSeconds());
        Assert.Equal("Azure", byId["ada-embed"].Properties["Provider"].Value);
        var request = Server.Requests.First(r => r.Route == LlmRoute.Models);
        Assert.Equal("/openai/models", request.Path);
        Assert.Equal("2024-10-21", request.QueryValue("api-version"));
        Assert.Equal(Key, request.Header("api-key"));

        Assert.Equal(3, send.Output.Count);
        var warning = Assert.Single(send.Warnings); // once per session and model
        Assert.Contains("'gpt-35-turbo' will be shut down by its provider on", warning.Message);
    }

    [Fact]
    public void Azure_v1_lists_through_the_openai_route()
    {
        var result = Ps.Invoke("Get-LlmModel -Provider Azure -Endpoint ($Server.BaseUri.AbsoluteUri + 'openai/v1/') -ApiKey $Key");

        Assert.Null(result.Terminating);
        Assert.Equal(5, result.Output.Count);
        var request = Assert.Single(Server.Requests);
        Assert.Equal("/openai/v1/models", request.Path);
        Assert.Equal(Key, request.Header("api-key"));
    }

    [Fact]
    public void A_model_shipped_as_shut_down_warns_when_used()
    {
        var result = Ps.Invoke("Send-LlmMessage 'hi' -Model gpt-4; Get-LlmEmbedding 'x' | Out-Null");

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'gpt-4'", warning.Message);
        Assert.Contains("2026-10-23", warning.Message);
    }

    [Fact]
    public void Failures_are_classified_and_transient_ones_retried()
    {
        Server.EnqueueFault(Fault.ServerError(503).For(LlmRoute.Models));
        var retried = Ps.Invoke("Get-LlmModel");
        Server.RequiredKey = "another-key-0123456789";
        var refused = Ps.Invoke("Get-LlmModel -ApiKey $Key");
        var missing = Ps.Invoke("Get-LlmModel -Endpoint ($Server.BaseUri.AbsoluteUri + 'nomodels/v1/')");

        Assert.Equal(5, retried.Output.Count);
        Assert.StartsWith("AuthenticationFailed,", Assert.Single(refused.Errors).FullyQualifiedErrorId); // a statement-terminating error
        Assert.Empty(refused.Output);
        Assert.DoesNotContain(Key, refused.AllText());
        var notFound = Assert.Single(missing.Errors);
        Assert.StartsWith("ModelNotFound,", notFound.FullyQualifiedErrorId);
        Assert.Contains("has no model list", notFound.Exception.Message);
        Assert.Single(Server.Requests, r => r.Path.StartsWith("/nomodels/", StringComparison.Ordinal)); // a 404 is not retried
    }
    [Fact]
    public void Remembered_names_that_are_not_plain_words_complete_quoted()
    {
        Server.ModelsData = new System.Text.Json.Nodes.JsonArray(ModelList.Model("my model.gguf", "me"), ModelList.Model("x;$global:pwned='yes'", "me"));
        Ps.Invoke("Get-LlmModel -ApiKey $Key | Out-Null");

        var spaced = Ps.Invoke(Names, "Send-LlmMessage -Model my").Output.Select(o => o.ToString()).ToList();
        var hostile = Ps.Invoke(Names, "Send-LlmMessage -Model x").Output.Select(o => o.ToString()).ToList();

        Assert.Contains("'my model.gguf'", spaced);
        Assert.Contains("'x;$global:pwned=''yes'''", hostile); // one argument, never more command line
    }
    [Fact]
    public void A_plain_name_the_list_lacks_is_an_error_and_a_pattern_that_matches_nothing_is_not()
    {
        var result = Ps.Invoke("Get-LlmModel -ApiKey $Key -Name gpt-4o-mini, no-such-model, nothing-*");

        Assert.Equal(["gpt-4o-mini"], result.Output.Select(o => (string)o.Properties["Id"].Value).ToArray());
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ModelNotFound", error.FullyQualifiedErrorId);
        Assert.Equal("no-such-model", error.TargetObject);
    }
}

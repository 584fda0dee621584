using LlmTools.Tests.Hosting;
using LlmTools.TestServer;

namespace LlmTools.Tests.Cmdlets;

/// <summary>Issue 15: Get-LlmConfig, a key from a SecretManagement vault, -Proxy, and offline cmdlets that a bad network setting does not stop.</summary>
public sealed class ConfigAndKeyTests : LlmTestContext
{
    // why a function: a stand-in for SecretManagement's Get-Secret, which the module calls by name
    private const string FakeVault = "function global:Get-Secret { param([string] $Name) if ($Name -eq 'llm-key') { $Key } else { Write-Error \"No secret '$Name' in any vault.\" } }; ";

    [Fact]
    public void Get_LlmConfig_names_each_value_and_the_file_or_default_it_came_from()
    {
        var result = Ps.Invoke("Get-LlmConfig");

        Assert.Empty(result.Errors);
        var rows = result.Output.ToDictionary(o => (string)o.Properties["Name"].Value, o => ((string)o.Properties["Value"].Value, (string)o.Properties["Source"].Value));
        Assert.Equal(("gpt-4o-mini", Ps.ConfigPath), rows["MODEL"]);
        Assert.Equal((Server.OpenAIEndpoint.ToString(), Ps.ConfigPath), rows["ENDPOINT"]);
        Assert.Equal(("5", Ps.ConfigPath), rows["MAX_ATTEMPTS"]);
        Assert.Equal((Ps.CacheDirectory, Ps.ConfigPath), rows["CACHE_DIR"]);
        Assert.Equal("default", rows["TEMPERATURE"].Item2);
        Assert.Equal(("none", "none"), rows["API_KEY"]);
        Assert.Equal("found", rows["LOCAL_CONFIG"].Item2);
        Assert.Equal(["MODEL", "CACHE_API_CALLS", "CACHE_MODE", "CACHE_DIR", "CACHE_TTL"], Ps.Invoke("(Get-LlmConfig MODEL, CACHE_*).Name").Output.Select(o => o.ToString()));
    }

    [Fact]
    public void A_key_secret_named_in_config_is_read_through_Get_Secret_and_never_shown()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nAPI_KEY_SECRET=llm-key\n");

        var result = Ps.InvokeVerbose(FakeVault + "Send-LlmMessage 'hi'; Get-LlmConfig API_KEY | ForEach-Object Value");

        Assert.Empty(result.Errors);
        Assert.Equal("Bearer " + Key, Server.Requests.Single().Header("Authorization"));
        Assert.Equal("secret 'llm-key' (SecretManagement)", result.Output[^1].ToString());
        Assert.Contains(result.Verbose, v => v.Message.Contains("key from secret 'llm-key' (Get-Secret)", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, result.AllText());
    }

    [Fact]
    public void A_key_secret_is_not_sent_to_another_endpoint_given_as_a_parameter()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nAPI_KEY_SECRET=llm-key\n");
        var other = new Uri(Server.OpenAIEndpoint.ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var result = Ps.Invoke(FakeVault + $"Send-LlmMessage 'hi' -Endpoint '{other}'");

        Assert.Empty(result.Errors);
        Assert.Null(Server.Requests.Single().Header("Authorization")); // like OPENAI_API_KEY, it belongs to the configured endpoint
    }

    [Fact]
    public void A_missing_secret_stops_the_command_once_with_how_to_check_it()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nAPI_KEY_SECRET=nope\n");

        var withoutVault = Ps.Invoke("Send-LlmMessage 'a'");
        var withVault = Ps.Invoke(FakeVault + "'a', 'b' | Send-LlmMessage");

        Assert.Contains("Cannot read the API key from the secret 'nope'", withVault.AllText());
        Assert.Contains("Get-Secret is not available", withoutVault.AllText());
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void Proxy_sends_requests_through_the_proxy()
    {
        // why the loopback server as proxy: it answers the absolute-form request a proxy receives, so the request reaching it proves the route
        var result = Ps.Invoke("Send-LlmMessage 'via proxy' -Endpoint http://llm.invalid/v1 -Proxy $Server.BaseUri");

        Assert.Empty(result.Errors);
        Assert.Equal("Echo: via proxy", result.Output.Single().ToString());
        Assert.Equal("llm.invalid", Server.Requests.Single().Header("Host"));
    }

    [Fact]
    public void A_typo_in_a_config_key_stops_the_provider_cmdlets_but_not_offline_counting()
    {
        File.AppendAllText(Ps.ConfigPath, "[LlmTools]\nCACHEDIR=/tmp/x\n");

        var count = Ps.Invoke("Measure-LlmTokens 'hello world'");
        var send = Ps.Invoke("Send-LlmMessage 'hi'");

        Assert.Empty(count.Errors);
        Assert.Single(count.Output);
        Assert.Contains("Did you mean CACHE_DIR?", send.Terminating?.Message + send.AllText());
        Assert.Equal(0, Server.CountOf(LlmRoute.Chat));
    }

    [Fact]
    public void A_bad_network_setting_stops_only_the_cmdlets_that_use_it()
    {
        File.AppendAllText(Ps.ConfigPath, "[OpenAI]\nTEMPERATURE=hot\n");

        var count = Ps.Invoke("Measure-LlmTokens 'hello world'");
        var list = Ps.Invoke("Get-LlmCache");
        var send = Ps.Invoke("Send-LlmMessage 'hi'");
        var config = Ps.Invoke("Get-LlmConfig MODEL, TEMPERATURE");

        // why Get-LlmConfig goes on: it is what people run to find the bad value
        Assert.Contains("Invalid value 'hot' for TEMPERATURE", Assert.Single(config.Errors).Exception.Message);
        Assert.Equal(2, config.Output.Count);
        Assert.Null(count.Terminating);
        Assert.Single(count.Output);
        Assert.Null(list.Terminating);
        Assert.Empty(list.Errors);
        Assert.Contains("Invalid value 'hot' for TEMPERATURE", send.Terminating?.Message + send.AllText());
    }

    [Fact]
    public void A_binary_file_is_counted_with_a_warning()
    {
        var path = Path.Combine(Ps.WorkingDirectory, "image.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0xFF, 0xFE]);

        var result = Ps.Invoke("Measure-LlmTokens -Path $args[0]; Measure-LlmTokens -Path $args[1]", path, Ps.ConfigPath);

        Assert.Equal(2, result.Output.Count);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("image.png' looks like a binary file", warning.Message);
    }

    [Theory]
    [InlineData("Send-LlmMessage -Model ", "gpt-4o", "text-embedding-3-small")]
    [InlineData("Get-LlmEmbedding -Model ", "text-embedding-3-small", "gpt-4o")]
    public void Model_completion_offers_only_models_of_the_cmdlets_kind(string line, string offered, string notOffered)
    {
        var result = Ps.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", line);

        var names = result.Output.Select(o => o.ToString()).ToList();
        Assert.Contains(offered, names);
        Assert.DoesNotContain(notOffered, names);
    }
}

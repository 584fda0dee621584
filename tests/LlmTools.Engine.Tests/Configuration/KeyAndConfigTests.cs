using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Providers;
using LlmTools.Engine.Sessions;
using LlmTools.TestServer;

namespace LlmTools.Engine.Tests.Configuration;

/// <summary>Issue 16, items 7 and 11: where a key may go, what a key may hold, and config typos.</summary>
public sealed class KeyAndConfigTests
{
    private const string EnvKey = "fake-env-key-0123456789abcdef"; // why not sk-...: nothing that looks like a real key is committed

    [Fact]
    public void The_environment_key_is_not_sent_to_an_endpoint_it_was_not_configured_for()
    {
        using var temp = new TempConfig();
        var settings = SettingsLoader.Load(Sources(temp, "[OpenAI]\n"), new SettingsOverrides { Endpoint = new Uri("http://192.168.1.20:8000/v1") });

        Assert.Null(settings.ApiKey);
        Assert.Contains("OPENAI_API_KEY is not sent to -Endpoint", settings.KeyNote);
        Assert.Contains("https://api.openai.com", settings.KeyNote);
        Assert.DoesNotContain(EnvKey, settings.KeyNote);
    }

    [Fact]
    public void The_environment_key_goes_to_its_own_endpoint_given_or_configured()
    {
        using var temp = new TempConfig();
        var toOpenAI = SettingsLoader.Load(Sources(temp, "[OpenAI]\n"), new SettingsOverrides { Endpoint = new Uri("https://api.openai.com/v1/") });
        var toConfigured = SettingsLoader.Load(Sources(temp, "[LlmTools]\nENDPOINT=https://llm.corp.example/v1\n"), new SettingsOverrides { Endpoint = new Uri("https://llm.corp.example/other/v1") });
        var noParameter = SettingsLoader.Load(Sources(temp, "[LlmTools]\nENDPOINT=https://llm.corp.example/v1\n"));
        var explicitKey = SettingsLoader.Load(Sources(temp, "[OpenAI]\n"), new SettingsOverrides { Endpoint = new Uri("https://elsewhere.example/v1"), ApiKey = new ApiSecret("given-0123456789") });

        Assert.Equal(EnvKey, toOpenAI.ApiKey!.Reveal());
        Assert.Equal(EnvKey, toConfigured.ApiKey!.Reveal());
        Assert.Equal(EnvKey, noParameter.ApiKey!.Reveal());
        Assert.Equal("given-0123456789", explicitKey.ApiKey!.Reveal());
        Assert.Null(toOpenAI.KeyNote);
    }

    [Fact]
    public async Task A_key_to_a_plain_http_host_off_this_machine_is_a_warning_every_call()
    {
        var log = new ListLog();
        var lan = new LlmSettings { Endpoint = new Uri("http://192.168.1.20:8000/v1"), ApiKey = new ApiSecret(EnvKey) { Source = "parameter -ApiKey" } };
        await using var server = await LoopbackLlmServer.StartAsync();
        var loopback = lan with { Endpoint = server.OpenAIEndpoint };
        var registry = new SessionRegistry();

        registry.Chat(lan, log);
        registry.Chat(lan, log);
        registry.Chat(loopback, log);
        registry.Chat(lan with { Endpoint = new Uri("https://192.168.1.20/v1") }, log);

        Assert.Equal(2, log.Warnings.Count);
        Assert.All(log.Warnings, w => Assert.Contains("clear text (http) to http://192.168.1.20:8000", w));
        Assert.All(log.Warnings, w => Assert.DoesNotContain(EnvKey, w));
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: 1", "a line break")]
    [InlineData("sk-abc\ndef", "a line break")]
    [InlineData("sk-ab\u00e7def", "not printable ASCII")]
    [InlineData("sk-ab\u2013def", "not printable ASCII")]
    public void A_key_that_would_corrupt_the_request_is_refused_before_sending(string key, string says)
    {
        var settings = new LlmSettings { Endpoint = new Uri("http://127.0.0.1:9/v1"), ApiKey = new ApiSecret(key) { Source = "environment variable OPENAI_API_KEY" } };

        var ex = Assert.Throws<LlmException>(() => LlmClientFactory.Create(settings, ProviderEndpoint.From(settings)));

        Assert.Equal(LlmErrorId.InvalidConfiguration, ex.ErrorId);
        Assert.Contains(says, ex.Message);
        Assert.Contains("OPENAI_API_KEY", ex.Message);
        Assert.DoesNotContain("sk-ab", ex.Message);
    }

    [Fact]
    public void A_key_pasted_into_OPENAI_BASE_URL_is_not_echoed()
    {
        using var temp = new TempConfig();
        var sources = new SettingsSources(temp.Write("config.ini", "[OpenAI]\n"), null, null, name => name == "OPENAI_BASE_URL" ? "fake-proj-PASTEDKEY123456" : null);

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(sources));

        Assert.DoesNotContain("PASTEDKEY", ex.Message);
        Assert.Contains("OPENAI_BASE_URL", ex.Message);
    }

    [Theory]
    [InlineData("[OpenAI]\nTEMPRATURE=0\n", "TEMPERATURE")]
    [InlineData("[OpenAI]\nMAX_ATEMPTS=3\n", "MAX_ATTEMPTS")]
    [InlineData("[LlmTools]\nCACHE_DRI=x\n", "CACHE_DIR")]
    [InlineData("[LlmTools]\nSOMETHING_ELSE=1\n", "Known keys")]
    public void A_config_typo_is_an_error_that_names_the_key_meant(string ini, string says)
    {
        using var temp = new TempConfig();

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(temp.Write("config.ini", ini), null, null, _ => null)));

        Assert.Contains(says, ex.Message);
        Assert.Contains("config.ini", ex.Message);
    }

    [Fact]
    public void TinyTroupes_own_keys_in_its_OpenAI_section_are_left_alone()
    {
        using var temp = new TempConfig();

        var settings = SettingsLoader.Load(new(temp.Write("config.ini", "[OpenAI]\nREASONING_MODEL=o3-mini\nMAX_CONTENT_DISPLAY_LENGTH=1024\nREASONING_EFFORT=high\n"), null, null, _ => null));

        Assert.Equal(new LlmSettings().Model, settings.Model);
        Assert.Null(settings.Sampling.ReasoningEffort); // TinyTroupe's REASONING_EFFORT is for its REASONING_MODEL, not for every request
    }

    [Theory]
    [InlineData("OPENAI_KEY")]
    [InlineData("AZURE_KEY")]
    [InlineData("API_TOKEN")]
    [InlineData("openai_api_key")]
    public void Secret_looking_keys_in_a_config_file_are_refused(string key)
    {
        using var temp = new TempConfig();

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(temp.Write("config.ini", $"[OpenAI]\n{key}=sk-secret-value\n"), null, null, _ => null)));

        Assert.Contains("API keys never belong in config files", ex.Message);
        Assert.DoesNotContain("sk-secret-value", ex.Message);
    }

    private static SettingsSources Sources(TempConfig temp, string ini) =>
        new(temp.Write("config.ini", ini), null, null, name => name == "OPENAI_API_KEY" ? EnvKey : null);

    private sealed class ListLog : ILlmLog
    {
        public List<string> Warnings { get; } = [];

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);
    }
}

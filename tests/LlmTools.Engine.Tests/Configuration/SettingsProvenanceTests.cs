using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Tests.Configuration;

/// <summary>Issue 15: which layer set each value, offline cmdlets that ignore bad network settings, and names people bring from other tools.</summary>
public sealed class SettingsProvenanceTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Offline_settings_ignore_a_bad_network_value_that_the_full_settings_reject()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[OpenAI]\nTEMPERATURE=hot\nTIMEOUT=soon\nMODEL=gpt-4.1\n[LlmTools]\nCACHE_DIR=cache-here\n");
        var sources = new SettingsSources(null, null, path, NoEnvironment);

        var offline = SettingsLoader.LoadOffline(sources);
        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(sources));

        Assert.Equal("gpt-4.1", offline.Model);
        Assert.Equal(Path.Combine(temp.Directory, "cache-here"), offline.CacheDirectory);
        Assert.Contains("TEMPERATURE", ex.Message);
    }

    [Fact]
    public void A_named_user_config_that_does_not_exist_is_a_notice()
    {
        var missing = Path.Combine(Path.GetTempPath(), "llmtools-no-such-dir", "config.ini");
        var sources = new SettingsSources(null, missing, null, name => name == "LLMTOOLS_CONFIG" ? missing : null);

        var notice = Assert.Single(SettingsLoader.LoadOffline(sources).Notices);

        Assert.Contains("LLMTOOLS_CONFIG", notice);
        Assert.Contains(missing, notice);
        Assert.Empty(SettingsLoader.Load(new SettingsSources(null, missing, null, NoEnvironment)).Notices);
    }

    [Fact]
    public void OPENAI_API_BASE_is_read_when_OPENAI_BASE_URL_is_not_set()
    {
        var both = new Dictionary<string, string> { ["OPENAI_API_BASE"] = "http://old:1/v1", ["OPENAI_BASE_URL"] = "http://new:2/v1" };

        var fromOld = SettingsLoader.Load(new(null, null, null, name => name == "OPENAI_API_BASE" ? "http://old:1/v1" : null));
        var fromNew = SettingsLoader.Load(new(null, null, null, name => both.GetValueOrDefault(name)));

        Assert.Equal(new Uri("http://old:1/v1"), fromOld.Endpoint);
        Assert.Equal("environment variable OPENAI_API_BASE", fromOld.Sources["ENDPOINT"]);
        Assert.Equal(new Uri("http://new:2/v1"), fromNew.Endpoint);
    }

    [Fact]
    public void Proxy_and_key_secret_come_from_config_and_a_bad_proxy_names_its_file()
    {
        using var temp = new TempConfig();
        var good = temp.Write("good.ini", "[LlmTools]\nPROXY=http://user:pw@proxy.local:8080\nAPI_KEY_SECRET=openai-key\n");
        var bad = temp.Write("bad.ini", "[LlmTools]\nPROXY=proxy.local:8080\n");

        var settings = SettingsLoader.Load(new(null, good, null, NoEnvironment));
        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, bad, null, NoEnvironment)));

        Assert.Equal(new Uri("http://user:pw@proxy.local:8080"), settings.Proxy);
        Assert.Equal("openai-key", settings.ApiKeySecretName);
        Assert.Contains(bad, ex.Message);
        Assert.Contains("PROXY", ex.Message);
    }

    [Fact]
    public void The_report_names_the_source_of_each_value_and_never_a_secret()
    {
        using var temp = new TempConfig();
        var module = temp.Write("module.ini", "[OpenAI]\nMODEL=gpt-4o-mini\nTIMEOUT=60\n");
        var user = temp.Write("user.ini", "[OpenAI]\nTEMPERATURE=0.3\n[LlmTools]\nPROXY=http://user:pw@proxy.local:8080\nCACHE_MODE=readonly\n");
        var sources = new SettingsSources(module, user, null, name => name switch
        {
            "OPENAI_API_KEY" => "sk-report-secret",
            "LLMTOOLS_MODEL" => "gpt-4.1",
            _ => null,
        });

        var rows = SettingsReport.Describe(SettingsLoader.Load(sources), sources).ToDictionary(r => r.Name);

        Assert.Equal(("gpt-4.1", "environment variable LLMTOOLS_MODEL"), (rows["MODEL"].Value, rows["MODEL"].Source));
        Assert.Equal(("0.3", user), (rows["TEMPERATURE"].Value, rows["TEMPERATURE"].Source));
        Assert.Equal(("60", module), (rows["TIMEOUT"].Value, rows["TIMEOUT"].Source));
        Assert.Equal("default", rows["TOP_P"].Source);
        Assert.Equal(("ReadOnly", user), (rows["CACHE_MODE"].Value, rows["CACHE_MODE"].Source));
        Assert.Equal("environment variable OPENAI_API_KEY", rows["API_KEY"].Source);
        Assert.Equal("found", rows["USER_CONFIG"].Source);
        Assert.Equal("not found", rows["LOCAL_CONFIG"].Source);
        Assert.DoesNotContain(rows.Values, r => r.Value.Contains("sk-report-secret") || r.Value.Contains("pw@"));
    }
}

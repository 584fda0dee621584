using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    // TinyTroupe's own config.ini (abridged only of comments): must load unchanged.
    private const string TinyTroupeConfig = """
        [OpenAI]
        API_TYPE=openai
        AZURE_API_VERSION=2023-05-15
        MODEL=gpt-4o-mini
        MAX_TOKENS=4000
        TEMPERATURE=1.2
        FREQ_PENALTY=0.0
        PRESENCE_PENALTY=0.0
        TIMEOUT=60
        MAX_ATTEMPTS=5
        WAITING_TIME=2
        EXPONENTIAL_BACKOFF_FACTOR=5
        EMBEDDING_MODEL=text-embedding-3-small
        CACHE_API_CALLS=False
        CACHE_FILE_NAME=openai_api_cache.pickle
        MAX_CONTENT_DISPLAY_LENGTH=1024

        [Simulation]
        RAI_HARMFUL_CONTENT_PREVENTION=True

        [Logging]
        LOGLEVEL=ERROR
        """;

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void TinyTroupe_config_loads_unchanged()
    {
        using var temp = new TempConfig();
        var settings = SettingsLoader.Load(new(temp.Write("config.ini", TinyTroupeConfig), null, null, NoEnvironment));

        Assert.Equal(ProviderKind.OpenAI, settings.Provider);
        Assert.Equal("2023-05-15", settings.AzureApiVersion);
        Assert.Equal("gpt-4o-mini", settings.Model);
        Assert.Equal(4000, settings.Sampling.MaxTokens);
        Assert.Equal(1.2f, settings.Sampling.Temperature);
        Assert.Equal(0f, settings.Sampling.FrequencyPenalty);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Timeout);
        Assert.Equal(5, settings.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.WaitingTime);
        Assert.Equal(5, settings.BackoffFactor);
        Assert.Equal("text-embedding-3-small", settings.EmbeddingModel);
        Assert.Null(settings.Cache); // CACHE_API_CALLS=False: chat does not use the cache
        Assert.Equal("openai_api_cache.pickle", settings.CacheFileName);
    }

    [Fact]
    public void An_edited_config_file_is_read_again()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[OpenAI]\nMODEL=gpt-4o\n");
        var first = SettingsLoader.Load(new(path, null, null, NoEnvironment));

        File.WriteAllText(path, "[OpenAI]\nMODEL=gpt-5\n");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
        var second = SettingsLoader.Load(new(path, null, null, NoEnvironment));

        Assert.Equal("gpt-4o", first.Model);
        Assert.Equal("gpt-5", second.Model);
    }

    [Fact]
    public void Later_layers_win_and_sources_are_named()
    {
        using var temp = new TempConfig();
        var module = temp.Write("module.ini", "[OpenAI]\nMODEL=gpt-4o-mini\nTEMPERATURE=0.1\nTIMEOUT=10\nMAX_ATTEMPTS=2\n");
        var user = temp.Write("user.ini", "[OpenAI]\nMODEL=gpt-4.1\nTEMPERATURE=0.2\n");
        var working = temp.Write("working.ini", "[OpenAI]\nMODEL=gpt-5\n");
        var environment = new Dictionary<string, string> { ["LLMTOOLS_MODEL"] = "o3" };

        var settings = SettingsLoader.Load(
            new(module, user, working, name => environment.GetValueOrDefault(name)),
            new SettingsOverrides { MaxAttempts = 9 });

        Assert.Equal("o3", settings.Model);
        Assert.Equal(0.2f, settings.Sampling.Temperature);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Timeout);
        Assert.Equal(9, settings.MaxAttempts);
        Assert.Equal("environment variable LLMTOOLS_MODEL", settings.Sources["MODEL"]);
        Assert.Equal(user, settings.Sources["TEMPERATURE"]);
        Assert.Equal(module, settings.Sources["TIMEOUT"]);
    }

    [Theory]
    [InlineData("TEMPERATURE", "hot")]
    [InlineData("TEMPERATURE", "3")]
    [InlineData("MAX_ATTEMPTS", "0")]
    [InlineData("MAX_TOKENS", "many")]
    [InlineData("CACHE_API_CALLS", "maybe")]
    [InlineData("API_TYPE", "anthropic")]
    [InlineData("CACHE_MODE", "sometimes")]
    [InlineData("ENDPOINT", "localhost:11434")]
    public void A_bad_value_names_file_key_and_value(string key, string value)
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", $"[OpenAI]\n{key}={value}\n");

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, path, NoEnvironment)));

        Assert.Contains(path, ex.Message);
        Assert.Contains(key, ex.Message);
        Assert.Contains($"'{value}'", ex.Message);
        Assert.Equal(key, ex.Key);
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var ex = Assert.Throws<InvalidConfigurationException>(() =>
            SettingsLoader.Load(new(null, null, null, name => name == "LLMTOOLS_CACHE_MODE" ? "never" : null)));

        Assert.Contains("environment variable LLMTOOLS_CACHE_MODE", ex.Message);
    }

    [Fact]
    public void An_api_key_in_a_config_file_is_refused_without_echoing_it()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[OpenAI]\nAPI_KEY=sk-secret-value-123\n");

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, path, NoEnvironment)));

        Assert.DoesNotContain("sk-secret-value-123", ex.Message);
        Assert.Contains("OPENAI_API_KEY", ex.Message);
    }

    [Fact]
    public void A_malformed_file_is_a_clear_error()
    {
        using var temp = new TempConfig();
        var path = temp.Write("config.ini", "[OpenAI\nMODEL\n");

        var ex = Assert.Throws<InvalidConfigurationException>(() => SettingsLoader.Load(new(null, null, path, NoEnvironment)));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Keys_come_from_the_environment_of_the_chosen_provider()
    {
        var environment = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-openai",
            ["AZURE_OPENAI_KEY"] = "azure-tinytroupe",
            ["AZURE_OPENAI_ENDPOINT"] = "https://contoso.openai.azure.com/",
            ["OPENAI_BASE_URL"] = "http://localhost:11434/v1",
        };
        var sources = new SettingsSources(null, null, null, name => environment.GetValueOrDefault(name));

        var openai = SettingsLoader.Load(sources);
        var azure = SettingsLoader.Load(sources, new SettingsOverrides { Provider = ProviderKind.Azure });

        Assert.Equal("sk-openai", openai.ApiKey!.Reveal());
        Assert.Equal(new Uri("http://localhost:11434/v1"), openai.Endpoint);
        Assert.Equal("azure-tinytroupe", azure.ApiKey!.Reveal());
        Assert.Equal("environment variable AZURE_OPENAI_KEY", azure.ApiKey.Source);
        Assert.Equal(new Uri("https://contoso.openai.azure.com/"), azure.Endpoint);
    }

    [Fact]
    public void Settings_never_print_the_key()
    {
        var settings = SettingsLoader.Load(new(null, null, null, name => name == "OPENAI_API_KEY" ? "sk-very-secret" : null));

        Assert.DoesNotContain("sk-very-secret", settings.ToString());
        Assert.DoesNotContain("sk-very-secret", settings.ApiKey!.ToString());
    }

    [Fact]
    public void The_shipped_config_documents_every_key_and_loads()
    {
        var shipped = Path.Combine(RepoRoot(), "config.ini");
        var text = File.ReadAllText(shipped);
        foreach (var field in typeof(ConfigKeys).GetFields().Where(f => f.IsLiteral))
        {
            Assert.Contains((string)field.GetRawConstantValue()! + "=", text);
        }

        var settings = SettingsLoader.Load(new(shipped, null, null, NoEnvironment));
        Assert.Equal(new LlmSettings().Model, settings.Model);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "LlmTools.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }
}

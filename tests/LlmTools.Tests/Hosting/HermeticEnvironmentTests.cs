using LlmTools.TestServer;

namespace LlmTools.Tests.Hosting;

/// <summary>
/// No setting of the person running the tests reaches them (HermeticSetup). .ci/run starts the tests with poison
/// values exported (a key, an endpoint, LLMTOOLS_* values, a user config.ini) so that a leak fails these checks.
/// </summary>
public sealed class HermeticEnvironmentTests : LlmTestContext
{
    [Fact]
    public void A_runspace_sees_none_of_the_runners_variables_and_no_user_config_folder()
    {
        var result = Ps.Invoke(
            "$names = $args[0]; @([Environment]::GetEnvironmentVariables().Keys).Where({ $_ -in $names -or $_ -like 'LLMTOOLS_*' }) -join ','; $env:XDG_CONFIG_HOME; $env:XDG_CACHE_HOME",
            HermeticEnvironment.UserVariables.ToArray());

        Assert.Empty(result.Errors);
        Assert.Equal(["", HermeticEnvironment.ConfigHome, HermeticEnvironment.CacheHome], result.Output.Select(o => o.ToString()));
        Assert.False(File.Exists(Path.Combine(HermeticEnvironment.ConfigHome, "LlmTools", "config.ini")));
    }

    [Fact]
    public void Settings_come_only_from_the_module_defaults_and_the_tests_own_config_ini()
    {
        var result = Ps.InvokeVerbose("Send-LlmMessage 'hi'");

        Assert.Empty(result.Errors);
        var sources = result.Verbose.Select(v => v.Message)
            .Where(m => m.StartsWith("Settings from ", StringComparison.Ordinal))
            .Select(m => m["Settings from ".Length..m.LastIndexOf(": ", StringComparison.Ordinal)])
            .ToList();
        Assert.Contains(Ps.ConfigPath, sources);
        Assert.All(sources, source => Assert.Contains(source, new[] { Path.Combine(RepoPaths.ModuleDirectory, "config.ini"), Ps.ConfigPath }));
        Assert.DoesNotContain(result.Verbose, v => v.Message.Contains("environment variable", StringComparison.OrdinalIgnoreCase));

        // what a leaked OPENAI_BASE_URL, LLMTOOLS_MODEL or OPENAI_API_KEY would have changed
        var request = Assert.Single(Server.Requests);
        Assert.Equal("gpt-4o-mini", request.Json?["model"]?.GetValue<string>());
        Assert.Null(request.Header("Authorization"));
    }
}

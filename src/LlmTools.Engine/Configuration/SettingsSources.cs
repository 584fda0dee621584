namespace LlmTools.Engine.Configuration;

/// <summary>Where settings are read from, weakest first. Paths that do not exist are skipped.</summary>
/// <param name="ModuleConfigPath">The config.ini shipped beside the module (defaults).</param>
/// <param name="UserConfigPath">$LLMTOOLS_CONFIG, else ~/.config/LlmTools/config.ini.</param>
/// <param name="WorkingConfigPath">./config.ini in the current directory.</param>
/// <param name="Environment">Reads one environment variable.</param>
public sealed record SettingsSources(
    string? ModuleConfigPath,
    string? UserConfigPath,
    string? WorkingConfigPath,
    Func<string, string?> Environment)
{
    /// <summary>Sources of this process: current directory and real environment.</summary>
    public static SettingsSources ForProcess(string? moduleConfigPath, string workingDirectory) => new(
        moduleConfigPath,
        CacheLocation.UserConfig(System.Environment.GetEnvironmentVariable),
        Path.Combine(workingDirectory, "config.ini"),
        System.Environment.GetEnvironmentVariable);
}

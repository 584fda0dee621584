namespace LlmTools.Engine.Configuration;

/// <summary>Where settings are read from, weakest first. Paths that do not exist are skipped.</summary>
/// <param name="ModuleConfigPath">The config.ini shipped beside the module (defaults).</param>
/// <param name="UserConfigPath">$LLMTOOLS_CONFIG, else ~/.config/LlmTools/config.ini.</param>
/// <param name="WorkingConfigPath">./config.ini in the current (PowerShell) directory; a relative CACHE_DIR is taken from its folder.</param>
/// <param name="Environment">Reads one environment variable.</param>
public sealed record SettingsSources(
    string? ModuleConfigPath,
    string? UserConfigPath,
    string? WorkingConfigPath,
    Func<string, string?> Environment)
{
    /// <summary>Sources of this process: the PowerShell location and the real environment.</summary>
    public static SettingsSources ForProcess(string? moduleConfigPath, string workingDirectory) => new(
        moduleConfigPath,
        CacheLocation.UserConfig(System.Environment.GetEnvironmentVariable),
        Path.Combine(workingDirectory, "config.ini"),
        System.Environment.GetEnvironmentVariable);

    /// <summary>The folder relative paths are taken from. Why not the process's: Set-Location never changes that.</summary>
    public string WorkingDirectory => Path.GetDirectoryName(WorkingConfigPath) is { Length: > 0 } folder ? folder : System.Environment.CurrentDirectory;
}

/// <summary>Default places: the cache folder and the user config file.</summary>
public static class CacheLocation
{
    /// <summary>$XDG_CACHE_HOME/LlmTools or ~/.cache/LlmTools on Unix, LocalApplicationData\LlmTools\cache on Windows.</summary>
    public static string Default()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData), "LlmTools", "cache");
        }

        var xdg = System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "LlmTools");
    }

    /// <summary>The user config file: $LLMTOOLS_CONFIG, else $XDG_CONFIG_HOME or ~/.config, then LlmTools/config.ini.</summary>
    public static string UserConfig(Func<string, string?> environment)
    {
        var explicitPath = environment(EnvironmentVariables.ConfigPath);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return explicitPath;
        }

        var xdg = environment("XDG_CONFIG_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return Path.Combine(root, "LlmTools", "config.ini");
    }
}

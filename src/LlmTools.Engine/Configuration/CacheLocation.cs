namespace LlmTools.Engine.Configuration;

/// <summary>The default cache folder: $XDG_CACHE_HOME or ~/.cache on Unix, LocalApplicationData on Windows.</summary>
public static class CacheLocation
{
    public static string Default()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "LlmTools", "cache");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "LlmTools");
    }

    /// <summary>The user config file: $LLMTOOLS_CONFIG, else ~/.config/LlmTools/config.ini.</summary>
    public static string UserConfig(Func<string, string?> environment)
    {
        var explicitPath = environment(EnvironmentVariables.ConfigPath);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return explicitPath;
        }

        var xdg = environment("XDG_CONFIG_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return Path.Combine(root, "LlmTools", "config.ini");
    }
}

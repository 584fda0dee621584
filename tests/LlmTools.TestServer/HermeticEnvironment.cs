namespace LlmTools.TestServer;

/// <summary>
/// Keeps the settings of whoever runs the tests out of them: removes from this process the environment variables
/// the module reads (keys, endpoints, every LLMTOOLS_*) and points XDG_CONFIG_HOME and XDG_CACHE_HOME at an empty
/// folder, so no user config.ini and no user cache folder is found. Each test assembly calls <see cref="Apply"/>
/// from a module initializer, before any test runs; processes the tests start inherit the cleaned environment.
/// </summary>
public static class HermeticEnvironment
{
    /// <summary>The variables a user's shell may hold for LlmTools, besides every LLMTOOLS_* one.</summary>
    public static readonly IReadOnlyList<string> UserVariables =
        ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"];

    private static readonly Lock Gate = new();
    private static string? _root;

    /// <summary>XDG_CONFIG_HOME for the tests: it holds no LlmTools/config.ini.</summary>
    public static string ConfigHome => Path.Combine(Root, "config");

    /// <summary>XDG_CACHE_HOME for the tests: the default cache folder lands under it.</summary>
    public static string CacheHome => Path.Combine(Root, "cache");

    private static string Root => _root ?? throw new InvalidOperationException("HermeticEnvironment.Apply has not run.");

    /// <summary>True for a variable that would carry the user's LlmTools settings into a test.</summary>
    public static bool IsUserSetting(string name) =>
        UserVariables.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("LLMTOOLS_", StringComparison.OrdinalIgnoreCase);

    public static void Apply()
    {
        lock (Gate)
        {
            if (_root is null)
            {
                _root = Directory.CreateTempSubdirectory("llmtools-hermetic-").FullName;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteRoot();
            }

            foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(IsUserSetting).ToList())
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", ConfigHome);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", CacheHome);
        }
    }

    private static void DeleteRoot()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // why: best effort at exit; a leftover empty temp folder harms nobody
        }
    }
}

using System.Management.Automation;
using System.Management.Automation.Runspaces;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;

namespace LlmTools.Completion;

/// <summary>
/// The model names Get-LlmModel remembered in the cache folder the settings name (CACHE_DIR, LLMTOOLS_CACHE_DIR), for
/// completers. Reads local files only; any failure (a bad config.ini, no runspace, an unreadable file) offers nothing
/// extra, because a completer must never fail or wait.
/// </summary>
internal static class RememberedModels
{
    /// <summary>Remembered names of <paramref name="kinds"/>, of every endpoint listed so far.</summary>
    public static IEnumerable<string> Names(ModelKind[] kinds)
    {
        try
        {
            return ModelListFiles.Recall(CacheDirectory())
                .SelectMany(list => list.Models)
                .Where(model => kinds.Contains(model.Kind))
                .Select(model => model.Id)
                .ToList();
        }
        catch (Exception ex) when (ex is InvalidConfigurationException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or RuntimeException)
        {
            return [];
        }
    }

    // why the offline settings: only the cache keys are read, so a bad TEMPERATURE does not stop completion
    private static string CacheDirectory()
    {
        var module = Path.Combine(Path.GetDirectoryName(typeof(RememberedModels).Assembly.Location) ?? AppContext.BaseDirectory, "config.ini");
        return SettingsLoader.LoadOffline(SettingsSources.ForProcess(module, Location())).CacheDirectory;
    }

    /// <summary>
    /// The PowerShell location (./config.ini may name CACHE_DIR). Why a nested pipeline: a completer runs inside the
    /// pipeline of TabExpansion2, where the runspace's SessionStateProxy refuses to answer.
    /// </summary>
    private static string Location()
    {
        if (Runspace.DefaultRunspace is null)
        {
            return Environment.CurrentDirectory;
        }

        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddScript("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath");
        return ps.Invoke<string>().FirstOrDefault() is { Length: > 0 } path ? path : Environment.CurrentDirectory;
    }
}

using System.Management.Automation;
using System.Management.Automation.Runspaces;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Sessions;
using LlmTools.Errors;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// What every LlmTools cmdlet shares: a token cancelled by Ctrl+C (StopProcessing), the runspace's session
/// and layered settings. Pattern: jborean93/PSOpenAD's cancellable cmdlet base.
/// </summary>
public abstract class LlmCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancelToken => _stopping.Token;

    /// <summary>This runspace's engine sessions.</summary>
    internal SessionRegistry Sessions => RunspaceSessions.For(Runspace.DefaultRunspace);

    /// <summary>Directory of the running module (holds the default config.ini).</summary>
    protected string ModuleDirectory =>
        MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(LlmCmdletBase).Assembly.Location)!;

    /// <summary>Resolves the layered settings; a bad setting terminates the command with how to fix it.</summary>
    internal LlmSettings ResolveSettings(SettingsOverrides? overrides = null) =>
        Resolve(sources => SettingsLoader.Load(sources, overrides));

    /// <summary>
    /// The settings of a cmdlet that never sends a request (token counts, the cache cmdlets): only the keys it uses
    /// are read and checked, so a bad TEMPERATURE does not stop it.
    /// </summary>
    internal LlmSettings ResolveOfflineSettings() => Resolve(SettingsLoader.LoadOffline);

    /// <summary>Where settings come from for this cmdlet: the module's config.ini, the user's, the PowerShell location's.</summary>
    internal SettingsSources ConfigSources() =>
        SettingsSources.ForProcess(Path.Combine(ModuleDirectory, "config.ini"), SessionState.Path.CurrentFileSystemLocation.ProviderPath);

    private LlmSettings Resolve(Func<SettingsSources, LlmSettings> load)
    {
        LlmSettings settings;
        try
        {
            settings = load(ConfigSources());
        }
        catch (InvalidConfigurationException ex)
        {
            ThrowTerminatingError(LlmErrors.InvalidConfiguration(ex));
            throw; // unreachable: ThrowTerminatingError always throws
        }

        // why once per runspace: the same missing file named by $env:LLMTOOLS_CONFIG, warned on every command, is noise
        foreach (var notice in settings.Notices.Where(notice => Sessions.FirstNotice(notice)))
        {
            WriteWarning(notice);
        }

        // why: one line per source, not per key, so -Verbose stays readable
        foreach (var group in settings.Sources.GroupBy(pair => pair.Value, pair => pair.Key))
        {
            WriteVerbose($"Settings from {group.Key}: {string.Join(", ", group.Order(StringComparer.Ordinal))}.");
        }

        if (settings.CacheFileName is { } pickle)
        {
            WriteVerbose($"CACHE_FILE_NAME '{pickle}' names a TinyTroupe pickle cache; pickle caches are not imported. LlmTools caches in '{settings.CacheDirectory}'.");
        }

        return settings;
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Cancels the requests in flight, as Ctrl+C does, when the command ends them itself.</summary>
    internal void CancelRequests() => _stopping.Cancel();

    /// <summary>Releases the Ctrl+C token source, and whatever the command still holds (<see cref="OnEnd"/>).</summary>
    public void Dispose()
    {
        OnEnd();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs when the command is done, however it ended (Ctrl+C, a terminating error): gives back what items that were
    /// never sent hold (budget holds), so the session's budget is not left short.
    /// </summary>
    protected virtual void OnEnd()
    {
    }
}

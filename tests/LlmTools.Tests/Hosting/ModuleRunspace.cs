using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LlmTools.Tests.Hosting;

/// <summary>
/// A PowerShell 7.6 runspace in this process with the built module imported, working in its own temporary
/// directory (so ./config.ini and the cache are per test).
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace(string? configIni = null, System.Management.Automation.Host.PSHost? host = null)
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("llmtools-test-").FullName;
        CacheDirectory = Path.Combine(WorkingDirectory, "cache");
        File.WriteAllText(ConfigPath, "[LlmTools]\nCACHE_DIR=" + CacheDirectory + "\n" + (configIni ?? string.Empty));

        _runspace = host is null
            ? RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2())
            : RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        _runspace.Open();
        _runspace.SessionStateProxy.Path.SetLocation(WorkingDirectory);
        var import = Invoke("Import-Module $args[0] -ErrorAction Stop", RepoPaths.ModuleManifest);
        if (import.Terminating is not null || import.Errors.Count > 0)
        {
            throw new InvalidOperationException("Import-Module failed: " + import.AllText());
        }
    }

    public string WorkingDirectory { get; }

    public string CacheDirectory { get; }

    public string ConfigPath => Path.Combine(WorkingDirectory, "config.ini");

    public Runspace Runspace => _runspace;

    /// <summary>Runs <paramref name="script"/>; <c>$args</c> holds <paramref name="arguments"/>.</summary>
    public ScriptResult Invoke(string script, params object?[] arguments)
    {
        using var ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        foreach (var argument in arguments)
        {
            ps.AddArgument(argument);
        }

        return Run(ps);
    }

    /// <summary>Runs a script with -Verbose semantics ($VerbosePreference = Continue) and $InformationPreference = Continue.</summary>
    public ScriptResult InvokeVerbose(string script, params object?[] arguments) =>
        Invoke("$VerbosePreference = 'Continue'; $InformationPreference = 'Continue'; " + script, arguments);

    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    internal static ScriptResult Run(PowerShell ps)
    {
        IReadOnlyList<PSObject> output = [];
        Exception? terminating = null;
        try
        {
            output = ps.Invoke().ToList();
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }

        return new ScriptResult(
            output,
            ps.Streams.Error.ToList(),
            ps.Streams.Warning.ToList(),
            ps.Streams.Verbose.ToList(),
            ps.Streams.Information.ToList(),
            terminating,
            ps.Streams.Progress.ToList(),
            ps.Streams.Debug.ToList());
    }

    public void Dispose()
    {
        _runspace.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // why: best effort; a leftover temp folder must not fail a test
        }
    }
}

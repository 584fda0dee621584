using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LlmTools.Bench;

/// <summary>A PowerShell 7.6 runspace in this process (as in tests/LlmTools.Tests), working in its own temp folder.</summary>
internal sealed class ModuleHost : IDisposable
{
    public ModuleHost(string? configIni = null)
    {
        // why: its own folder, so a ./config.ini of wherever the bench was started from plays no part
        WorkingDirectory = Directory.CreateTempSubdirectory("llmtools-bench-").FullName;
        if (configIni is not null)
        {
            File.WriteAllText(Path.Combine(WorkingDirectory, "config.ini"), configIni);
        }

        Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        Runspace.Open();
        Runspace.SessionStateProxy.Path.SetLocation(WorkingDirectory);
    }

    public Runspace Runspace { get; }

    public string WorkingDirectory { get; }

    /// <summary>A trivial script that does not touch the module, as an interactive pwsh has run by the time a user imports.</summary>
    public void WarmEngine() => Invoke(ps => ps.AddScript("$PSVersionTable.PSVersion.ToString()"));

    public void Import(string manifest) => Invoke(ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop"));

    /// <summary>Runs what <paramref name="build"/> adds, with <paramref name="input"/> piped in; any error is an exception.</summary>
    public Collection<PSObject> Invoke(Action<PowerShell> build, System.Collections.IEnumerable? input = null)
    {
        using var ps = PowerShell.Create(Runspace);
        build(ps);
        var output = input is null ? ps.Invoke() : ps.Invoke(input);
        ThrowOnErrors(ps);
        return output;
    }

    public static void ThrowOnErrors(PowerShell ps)
    {
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("PowerShell reported errors: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        }
    }

    /// <summary>The Tokens property of the single LlmTokenCount in <paramref name="output"/>.</summary>
    public static int Tokens(IReadOnlyList<PSObject> output) => output.Count == 1
        ? (int)output[0].Properties["Tokens"].Value
        : throw new InvalidOperationException($"Expected one LlmTokenCount, got {output.Count} objects.");

    public void Dispose()
    {
        Runspace.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // why: best effort; a leftover temp folder is harmless
        }
    }
}

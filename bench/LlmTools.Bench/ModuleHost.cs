using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LlmTools.Bench;

/// <summary>A PowerShell 7.6 runspace in this process (as in tests/LlmTools.Tests), working in its own temp folder.</summary>
internal sealed class ModuleHost : IDisposable
{
    private readonly string _workingDirectory;

    public ModuleHost()
    {
        // why: its own folder, so a ./config.ini of wherever the bench was started from plays no part
        _workingDirectory = Directory.CreateTempSubdirectory("llmtools-bench-").FullName;
        Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        Runspace.Open();
        Runspace.SessionStateProxy.Path.SetLocation(_workingDirectory);
    }

    public Runspace Runspace { get; }

    /// <summary>The runspace's location: a ./config.ini written here is the settings layer of this folder.</summary>
    public string WorkingDirectory => _workingDirectory;

    /// <summary>Runs a trivial command that does not touch the module, so the engine's own first-use costs are paid.</summary>
    public void WarmEngine() => Invoke(ps => ps.AddScript("$x = $PSVersionTable.PSVersion; $x.ToString()"));

    public void Import(string manifest) => Invoke(ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop"));

    /// <summary>Runs the command that <paramref name="build"/> adds; any error is an exception.</summary>
    public Collection<PSObject> Invoke(Action<PowerShell> build) => Invoke(build, input: null);

    /// <summary>As <see cref="Invoke(Action{PowerShell})"/>, with <paramref name="input"/> piped into the first command.</summary>
    public Collection<PSObject> Invoke(Action<PowerShell> build, System.Collections.IEnumerable? input)
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
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // why: best effort; a leftover empty temp folder is harmless
        }
    }
}

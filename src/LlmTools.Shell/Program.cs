// llmsh: PowerShell 7.6 with LlmTools imported, for machines without pwsh.
// usage: llmsh "SCRIPT" [args...]   ($args holds the rest; no script: read it from standard input)
//        llmsh path/to/file.ps1 [args...]   (runs the file: no quoting of $ for bash, pwsh or cmd to get wrong)
// Objects print one per line: text as is, objects with their own text form (ToString) as that, other objects as
// their non-empty Name=Value pairs. Errors, warnings, verbose and information go to stderr. Exit code 1 when any
// error was written. Ctrl+C stops the pipeline.
using System.Management.Automation;
using System.Management.Automation.Runspaces;

var script = args.Length == 0 ? Console.In.ReadToEnd()
    : args[0].EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) && File.Exists(args[0]) ? File.ReadAllText(args[0]) // why the text: no execution policy applies to it
    : args[0];
var manifest = Path.Combine(FindRepoRoot(), "out", "LlmTools", "LlmTools.psd1");

using var ps = PowerShell.Create(InitialSessionState.CreateDefault2());
ps.AddCommand("Import-Module").AddArgument(manifest).Invoke();
ps.Commands.Clear();
ps.AddScript(script);
foreach (var argument in args.Skip(1))
{
    ps.AddArgument(argument);
}

var output = new PSDataCollection<PSObject>();
output.DataAdded += (_, e) => Console.WriteLine(Show(output[e.Index]));
ps.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine($"ERROR: {ps.Streams.Error[e.Index]} [{ps.Streams.Error[e.Index].FullyQualifiedErrorId}]");
ps.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine($"WARNING: {ps.Streams.Warning[e.Index]}");
ps.Streams.Verbose.DataAdded += (_, e) => Console.Error.WriteLine($"VERBOSE: {ps.Streams.Verbose[e.Index]}");
ps.Streams.Information.DataAdded += (_, e) => Console.Error.Write(ps.Streams.Information[e.Index].MessageData is HostInformationMessage { NoNewLine: true } m ? m.Message : ps.Streams.Information[e.Index] + Environment.NewLine);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // why: let PowerShell stop the pipeline (StopProcessing) instead of killing the process
    ps.BeginStop(null, null);
};

try
{
    ps.Invoke(null, output);
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine($"ERROR: {ex.Message}");
    return 2;
}

return ps.HadErrors ? 1 : 0;

static string Show(PSObject item)
{
    var value = item.BaseObject;
    if (value is string || value.GetType().IsPrimitive || value is decimal or DateTime || value.GetType().GetMethod("ToString", Type.EmptyTypes)!.DeclaringType != typeof(object))
    {
        return value.ToString() ?? string.Empty;
    }

    // why only set values: "Text=; MessageCount=" told a newcomer nothing
    return string.Join("; ", item.Properties
        .Where(p => p.IsGettable)
        .Select(p => (p.Name, Value: p.Value?.ToString()))
        .Where(p => !string.IsNullOrEmpty(p.Value))
        .Select(p => $"{p.Name}={p.Value}"));
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (Directory.Exists(Path.Combine(dir.FullName, "out", "LlmTools")))
        {
            return dir.FullName;
        }
    }

    throw new DirectoryNotFoundException("out/LlmTools not found; build the module first: dotnet build -c Release");
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmTools.Bench;

/// <summary>Markdown written to the console as it is produced and, with --markdown, to a file at the end.</summary>
internal sealed class Report
{
    private readonly StringBuilder _markdown = new();
    private readonly List<SummaryRow> _summary = [];

    /// <summary>Headline figures collected from all scenarios.</summary>
    public IReadOnlyList<SummaryRow> SummaryRows => _summary;

    public void AddSummary(SummaryRow row) => _summary.Add(row);

    /// <summary>Writes the collected headline figures as one table.</summary>
    public void Summary()
    {
        if (_summary.Count == 0)
        {
            return;
        }

        Heading(2, "Summary");
        Table(
            ["metric", "value", "goal", "met"],
            _summary.Select(r => (IReadOnlyList<string>)[r.Metric, r.Value, r.Goal, r.Met switch { true => "yes", false => "**no**", null => "" }]),
            leftAlign: true);
    }

    public static CultureInfo Culture => CultureInfo.InvariantCulture;

    public void Header(BenchOptions options, IEnumerable<IScenario> scenarios)
    {
        Heading(1, "LlmTools benchmark: " + string.Join(", ", scenarios.Select(s => s.Name)));
        Line($"- date: {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", Culture)}");
        Line($"- command: `dotnet run -c Release --project bench/LlmTools.Bench -- {options.CommandLine}`".Replace(" -- `", "`", StringComparison.Ordinal));
        Line($"- machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
        Line($"- runtime: {RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, PowerShell SDK {PowerShellVersion()}");
        Line($"- module: {DisplayPath(options.ModuleManifest)}");
        Line($"- load average at start (1/5/15 min): {LoadAverage()} (other processes on the machine skew the figures; rerun when idle)");
        Line($"- repetitions: {options.Warmup} warmup + {options.Repetitions} timed; cold-start launches: 1 discarded + {options.Launches}");
        Line();
    }

    public void Heading(int level, string text)
    {
        Line(new string('#', level) + " " + text);
        Line();
    }

    public void Line(string text = "")
    {
        Console.WriteLine(text);
        _markdown.AppendLine(text);
    }

    /// <summary>A markdown table; the first column is left-aligned, the others right-aligned unless <paramref name="leftAlign"/>.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, bool leftAlign = false)
    {
        Line("| " + string.Join(" | ", headers) + " |");
        Line("|" + string.Concat(headers.Select((_, i) => i == 0 || leftAlign ? " --- |" : " ---: |")));
        foreach (var row in rows)
        {
            Line("| " + string.Join(" | ", row) + " |");
        }

        Line();
    }

    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, _markdown.ToString());
    }

    public static string F(double value, string format = "0.00") => value.ToString(format, Culture);

    public static string N(long value) => value.ToString("N0", Culture);

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string PowerShellVersion()
    {
        var assembly = typeof(System.Management.Automation.PowerShell).Assembly;
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        return informational?.Split(' ', '+')[0] ?? assembly.GetName().Version?.ToString() ?? "?";
    }

    /// <summary>Repository-relative when inside the repository, so reports do not carry a machine's paths.</summary>
    private static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(BenchPaths.RepoRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

// LlmTools scenario runner: what needs the built module (PowerShell hosted in-process). Engine-level costs are
// BenchmarkDotNet micro-benchmarks in bench/LlmTools.Bench.Engine. Usage: bench/README.md.
//   dotnet run -c Release --project bench/LlmTools.Bench -- [tokens] [import] [cache] [pacing] [--reps N] [--quick] [--markdown FILE] [--module PSD1]
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using LlmTools.Bench;

var scenarios = new Dictionary<string, Func<Options, Report, bool>>
{
    ["tokens"] = TokenScenario.Run,
    ["import"] = ImportScenario.Run,
    ["cache"] = CacheScenario.Run,
    ["pacing"] = PacingScenario.Run,
};

Options options;
try
{
    options = Options.Parse(args, scenarios.Keys);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"{ex.Message}\nusage: [{string.Join("] [", scenarios.Keys)}] [--reps N] [--markdown FILE] [--module PSD1]");
    return 2;
}

// why: import-to-first-count needs a fresh process per sample; the runner re-launches itself with --child
if (options.Child)
{
    return ImportScenario.Child(options);
}

var report = new Report();
report.Line($"# LlmTools scenarios: {string.Join(", ", options.Scenarios)}");
report.Line();
report.Line($"- date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}");
report.Line($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, PowerShell SDK {typeof(System.Management.Automation.PowerShell).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+', ' ')[0]}");
report.Line($"- module: {Path.GetRelativePath(Options.RepoRoot, options.Module)}; timed repetitions: {options.Reps}");
report.Line($"- load average at start: {Report.LoadAverage()} (other processes skew the figures)");
report.Line();
var ok = true;
foreach (var name in options.Scenarios)
{
    ok &= scenarios[name](options, report);
}

report.Line($"- load average at end: {Report.LoadAverage()}");
Console.WriteLine(report);
if (options.Markdown is { } path)
{
    File.WriteAllText(path, report.ToString());
    Console.Error.WriteLine($"written to {Path.GetFullPath(path)}");
}

return ok ? 0 : 1;

namespace LlmTools.Bench
{
    internal sealed record Options(IReadOnlyList<string> Scenarios, int Reps, string? Markdown, string Module, bool Child, bool Quick = false)
    {
        public static string RepoRoot { get; } = FindRoot();

        public static Options Parse(string[] args, IEnumerable<string> known)
        {
            var names = new List<string>();
            int reps = 5;
            string? markdown = null;
            var module = Path.Combine(RepoRoot, "out", "LlmTools", "LlmTools.psd1");
            var child = false;
            var quick = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
                switch (args[i])
                {
                    case "--reps": reps = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--markdown": markdown = Value(); break;
                    case "--module": module = Path.GetFullPath(Value()); break;
                    case "--child": child = true; break;
                    case "--quick": quick = true; break;
                    case var n when known.Contains(n): names.Add(n); break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }

            return new(names.Count > 0 ? names : known.ToList(), reps, markdown, module, child, quick);
        }

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(dir.FullName, "LlmTools.sln")))
            {
                dir = dir.Parent ?? throw new InvalidOperationException("LlmTools.sln not found above " + AppContext.BaseDirectory);
            }

            return dir.FullName;
        }
    }

    /// <summary>The markdown report, also printed; numbers in the invariant culture.</summary>
    internal sealed class Report
    {
        private readonly StringBuilder _text = new();

        public static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

        public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        public static double Median(IEnumerable<double> values)
        {
            var s = values.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }

        public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

        public void Line(string text = "") => _text.Append(text).Append('\n');

        public void Table(string[] header, IEnumerable<string[]> rows)
        {
            Line("| " + string.Join(" | ", header) + " |");
            Line("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", header.Length - 1)));
            foreach (var row in rows)
            {
                Line("| " + string.Join(" | ", row) + " |");
            }

            Line();
        }

        public override string ToString() => _text.ToString();
    }
}

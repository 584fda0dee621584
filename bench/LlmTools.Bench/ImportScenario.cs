using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench;

/// <summary>
/// Import-to-first-count in a fresh process each time (the tokenizer is cached process-wide): a runspace that has run
/// one trivial script, then <c>Import-Module</c> and <c>Measure-LlmTokens</c> until its first output object.
/// </summary>
internal static class ImportScenario
{
    private const double GoalMs = 1000;
    private const string Prefix = "RESULT ";

    public static bool Run(Options options, Report report)
    {
        var samples = new List<double[]>();
        for (var i = 0; i <= options.Reps + 2; i++)
        {
            var sample = Launch(options);
            Console.Error.WriteLine($"  import: launch {i}: {F(sample[0], "0")} ms{(i == 0 ? " (discarded)" : "")}");
            if (i > 0)
            {
                samples.Add(sample); // total, import, first count, tokenizer loaded before import (0 or 1)
            }
        }

        var totals = samples.Select(s => s[0]).ToList();
        report.Line("## Import-to-first-count (fresh process each time)");
        report.Line();
        report.Line("Each sample is a new process: open a runspace, run one trivial script (as an interactive pwsh has), then time " +
                    "`Import-Module out/LlmTools/LlmTools.psd1` and `Measure-LlmTokens -Text 'The quick brown fox jumps over the lazy dog.' -Model gpt-4o` " +
                    "until its first output (the module's o200k_base tokenizer is built in that call). The first launch is discarded (disk cache).");
        report.Line();
        report.Table(
            ["samples", "median ms", "min ms", "max ms", "of which Import-Module (median)", "first count (median)"],
            [[samples.Count.ToString(CultureInfo.InvariantCulture), F(Median(totals), "0"), F(totals.Min(), "0"), F(totals.Max(), "0"), F(Median(samples.Select(s => s[1])), "0"), F(Median(samples.Select(s => s[2])), "0")]]);
        var preloaded = samples.Count(s => s[3] > 0);
        report.Line($"- goal < {F(GoalMs, "0")} ms (median): {(Median(totals) < GoalMs ? "met" : "**not met**")}; samples, ms: {string.Join(", ", totals.Select(t => F(t, "0")))}");
        report.Line($"- Microsoft.ML.Tokenizers loaded before Import-Module in {preloaded} of {samples.Count} processes (must be 0)");
        report.Line();
        return preloaded == 0;
    }

    private static double[] Launch(Options options)
    {
        // why: under `dotnet run` this is the apphost; under `dotnet LlmTools.Bench.dll` it is dotnet and needs the dll
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(processPath) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ImportScenario).Assembly.Location);
        }

        foreach (var arg in (string[])["--child", "--module", options.Module])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + processPath);
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return process.ExitCode == 0 && line is not null
            ? line[Prefix.Length..].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : throw new InvalidOperationException($"Child failed (exit {process.ExitCode}):\n{stdout}");
    }

    /// <summary>The fresh process: nothing of LlmTools or the tokenizer loaded yet.</summary>
    public static int Child(Options options)
    {
        using var host = new ModuleHost();
        host.WarmEngine();
        var preloaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Tokenizers");

        var sw = Stopwatch.StartNew();
        host.Import(options.Module);
        var importMs = sw.Elapsed.TotalMilliseconds;
        var firstMs = double.NaN;
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddCommand("Measure-LlmTokens").AddParameter("Text", new[] { "The quick brown fox jumps over the lazy dog." }).AddParameter("Model", "gpt-4o");
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, _) => firstMs = double.IsNaN(firstMs) ? sw.Elapsed.TotalMilliseconds : firstMs;
        ps.Invoke(null, output);
        ModuleHost.ThrowOnErrors(ps);
        ModuleHost.Tokens(output.ToList());
        Console.WriteLine(Prefix + string.Join(' ', new[] { firstMs, importMs, firstMs - importMs, preloaded ? 1 : 0 }.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture))));
        return 0;
    }
}

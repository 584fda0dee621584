using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// Cold start: in a fresh process (the tokenizer is cached process-wide, so only a new process is really cold),
/// the time from just before <c>Import-Module</c> to the first <c>Measure-LlmTokens</c> result. The bench re-launches
/// itself with <c>--child import-to-first-count</c> once per sample and reads the figures the child prints.
/// </summary>
internal sealed class ImportToFirstCountScenario : IChildScenario
{
    private const double GoalMs = 1000;
    private const string ResultPrefix = "RESULT ";
    private const string FirstText = "The quick brown fox jumps over the lazy dog.";

    public string Name => "import-to-first-count";

    public IReadOnlyList<string> Groups => ["tokens", "startup"];

    public string Title => "Import-to-first-count (cold start, fresh process each time)";

    public string Description =>
        "Each sample is a new process: open a runspace (`InitialSessionState.CreateDefault2()`), then time " +
        $"`Import-Module <manifest>` followed by `Measure-LlmTokens -Text '{FirstText}' -Model gpt-4o` until its first output object " +
        "(the module's tokenizer is built during that call). *Warm engine* (the goal figure) first runs one trivial script that " +
        "does not touch the module, as an interactive pwsh has done by the time a user types Import-Module; *cold engine* makes " +
        "Import-Module the runspace's very first command. The first launch of each kind is discarded (disk cache).";

    public int Run(BenchOptions options, Report report)
    {
        var warm = Launch(options, coldEngine: false);
        var cold = Launch(options, coldEngine: true);

        report.Table(
            ["engine", "samples", "import-to-first-count median ms", "min ms", "max ms", "of which Import-Module (median)", "first count (median)", "process start to first count (median)"],
            [Row("warm engine", warm), Row("cold engine", cold)]);

        var totals = Stats.Of(warm.Select(s => s.TotalMs).ToList());
        var tokens = warm.Concat(cold).Select(s => s.Tokens).Distinct().ToList();
        var preloaded = warm.Concat(cold).Count(s => s.TokenizerPreloaded);
        report.Line($"- goal: import-to-first-count under {F(GoalMs, "0")} ms (warm engine, median): " + (totals.Median < GoalMs ? "**met**" : "**not met**") +
                    $"; worst sample {F(totals.Max, "0")} ms" + (totals.Max < GoalMs ? " (also under)" : string.Empty));
        report.Line($"- first count: {string.Join(", ", tokens)} tokens; Microsoft.ML.Tokenizers loaded before Import-Module in {preloaded} of {warm.Count + cold.Count} processes (must be 0)");
        report.Line($"- per-sample totals (warm engine), ms: {string.Join(", ", warm.Select(s => F(s.TotalMs, "0")))}");
        report.Line($"- per-sample totals (cold engine), ms: {string.Join(", ", cold.Select(s => F(s.TotalMs, "0")))}");
        report.Line();

        report.AddSummary(new(
            "import-to-first-count, warm engine: median / min / max",
            $"{F(totals.Median, "0")} / {F(totals.Min, "0")} / {F(totals.Max, "0")} ms",
            $"< {F(GoalMs, "0")} ms",
            totals.Median < GoalMs));
        var coldTotals = Stats.Of(cold.Select(s => s.TotalMs).ToList());
        report.AddSummary(new("import-to-first-count, cold engine: median / min / max", $"{F(coldTotals.Median, "0")} / {F(coldTotals.Min, "0")} / {F(coldTotals.Max, "0")} ms"));
        return preloaded == 0 && tokens.Count == 1 ? 0 : 1;
    }

    private static IReadOnlyList<string> Row(string engine, IReadOnlyList<Sample> samples)
    {
        var total = Stats.Of(samples.Select(s => s.TotalMs).ToList());
        return
        [
            engine, samples.Count.ToString(Culture), F(total.Median, "0"), F(total.Min, "0"), F(total.Max, "0"),
            F(Stats.Of(samples.Select(s => s.ImportMs).ToList()).Median, "0"),
            F(Stats.Of(samples.Select(s => s.FirstCountMs).ToList()).Median, "0"),
            F(Stats.Of(samples.Select(s => s.ProcessMs).ToList()).Median, "0"),
        ];
    }

    private List<Sample> Launch(BenchOptions options, bool coldEngine)
    {
        var samples = new List<Sample>();
        for (var i = 0; i <= options.Launches; i++)
        {
            var sample = LaunchOne(options, coldEngine);
            Console.Error.WriteLine($"  {(coldEngine ? "cold" : "warm")} engine launch {i}/{options.Launches}: {F(sample.TotalMs, "0")} ms{(i == 0 ? " (discarded)" : string.Empty)}");
            if (i > 0)
            {
                samples.Add(sample);
            }
        }

        return samples;
    }

    private Sample LaunchOne(BenchOptions options, bool coldEngine)
    {
        // why: under `dotnet run` this is the apphost; under `dotnet LlmTools.Bench.dll` it is dotnet and needs the dll
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(processPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ImportToFirstCountScenario).Assembly.Location);
        }

        foreach (var arg in (string[])["--child", Name, "--module", options.ModuleManifest])
        {
            start.ArgumentList.Add(arg);
        }

        if (coldEngine)
        {
            start.ArgumentList.Add("--cold-engine");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + processPath);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"Child failed (exit {process.ExitCode}):\n{stdout}\n{stderr.Result}");
        }

        return Sample.Parse(line[ResultPrefix.Length..]);
    }

    /// <summary>The fresh process: nothing of LlmTools or the tokenizer loaded yet.</summary>
    public int RunChild(BenchOptions options)
    {
        var processStart = Process.GetCurrentProcess().StartTime;
        var tokenizerPreloaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Tokenizers");

        using var host = new ModuleHost();
        if (!options.ColdEngine)
        {
            host.WarmEngine();
        }

        tokenizerPreloaded |= AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Tokenizers");

        var sw = Stopwatch.StartNew();
        host.Import(options.ModuleManifest);
        var importMs = sw.Elapsed.TotalMilliseconds;

        double firstOutputMs = double.NaN;
        DateTime firstOutputAt = default;
        using var ps = PowerShell.Create(host.Runspace);
        ps.AddCommand("Measure-LlmTokens").AddParameter("Text", new[] { FirstText }).AddParameter("Model", "gpt-4o");
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, _) =>
        {
            if (double.IsNaN(firstOutputMs))
            {
                firstOutputMs = sw.Elapsed.TotalMilliseconds;
                firstOutputAt = DateTime.Now;
            }
        };
        ps.Invoke(null, output);
        ModuleHost.ThrowOnErrors(ps);
        var tokens = ModuleHost.Tokens(output.ToList());

        var sample = new Sample(firstOutputMs, importMs, firstOutputMs - importMs, (firstOutputAt - processStart).TotalMilliseconds, tokens, tokenizerPreloaded);
        Console.WriteLine(ResultPrefix + sample.Format());
        return 0;
    }

    private sealed record Sample(double TotalMs, double ImportMs, double FirstCountMs, double ProcessMs, int Tokens, bool TokenizerPreloaded)
    {
        public string Format() => string.Create(
            CultureInfo.InvariantCulture,
            $"total_ms={TotalMs:0.0} import_ms={ImportMs:0.0} first_count_ms={FirstCountMs:0.0} process_ms={ProcessMs:0.0} tokens={Tokens} tokenizer_preloaded={TokenizerPreloaded}");

        public static Sample Parse(string text)
        {
            var values = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            double D(string key) => double.Parse(values[key], CultureInfo.InvariantCulture);
            return new Sample(D("total_ms"), D("import_ms"), D("first_count_ms"), D("process_ms"), int.Parse(values["tokens"], CultureInfo.InvariantCulture), bool.Parse(values["tokenizer_preloaded"]));
        }
    }
}

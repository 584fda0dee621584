using System.Diagnostics;
using LlmTools.Bench.Corpus;
using Microsoft.ML.Tokenizers;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// Throughput of <c>Measure-LlmTokens -LiteralPath file -Model gpt-4o</c> in a warmed runspace against raw
/// Microsoft.ML.Tokenizers (<c>File.ReadAllText</c> + <c>CountTokens</c>) on the same generated file, in one process.
/// The raw tokenizer is the bench's own copy (default load context); the module uses its own copy from
/// out/LlmTools/Dependencies (its load context), so neither warms the other's caches.
/// </summary>
internal sealed class TokenCountScenario : IScenario
{
    private const string Encoding = "o200k_base";
    private const string Model = "gpt-4o";
    private const double Goal = 0.9;

    public string Name => "token-count";

    public IReadOnlyList<string> Groups => ["tokens"];

    public string Title => "Token-count throughput: Measure-LlmTokens vs raw Microsoft.ML.Tokenizers";

    public string Description =>
        $"A deterministic mixed text (English prose, code, logs, markdown and chat with emoji, accented European languages, CJK) " +
        $"is written to a temp file. Every repetition runs each variant once, in turn (interleaved, a full GC before each); " +
        $"MB = 10^6 bytes of the UTF-8 file. Raw = `TiktokenTokenizer.CreateForEncoding(\"{Encoding}\")`, " +
        $"cmdlet = `Measure-LlmTokens -LiteralPath <file> -Model {Model}` in a runspace that imported the module and already counted once.";

    public int Run(BenchOptions options, Report report)
    {
        var minBytes = (long)(options.SizeMiB * 1024 * 1024);
        var path = Path.Combine(Path.GetTempPath(), $"llmtools-bench-tokens-{minBytes}.txt");
        var sw = Stopwatch.StartNew();
        var corpus = new CorpusGenerator().WriteFile(path, minBytes);
        var generateMs = sw.Elapsed.TotalMilliseconds;
        try
        {
            return Measure(options, report, corpus, generateMs);
        }
        finally
        {
            if (options.KeepFiles)
            {
                Console.WriteLine($"kept {path}");
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    private static int Measure(BenchOptions options, Report report, CorpusInfo corpus, double generateMs)
    {
        var sw = Stopwatch.StartNew();
        var tokenizer = TiktokenTokenizer.CreateForEncoding(Encoding);
        var rawBuildMs = sw.Elapsed.TotalMilliseconds;

        using var host = new ModuleHost();
        sw.Restart();
        host.Import(options.ModuleManifest);
        var importMs = sw.Elapsed.TotalMilliseconds;

        var text = File.ReadAllText(corpus.Path);
        string[] textArgument = [text];
        Variant[] variants =
        [
            new("raw: File.ReadAllText + CountTokens", true, () => tokenizer.CountTokens(File.ReadAllText(corpus.Path))),
            new("raw: CountTokens only (text in memory)", true, () => tokenizer.CountTokens(text)),
            new("raw: File.ReadAllText only", false, () => File.ReadAllText(corpus.Path).Length),
            new($"cmdlet: Measure-LlmTokens -LiteralPath -Model {Model}", true, () => ModuleHost.Tokens(host.Invoke(ps =>
                ps.AddCommand("Measure-LlmTokens").AddParameter("LiteralPath", corpus.Path).AddParameter("Model", Model)))),
            new($"cmdlet: Measure-LlmTokens -Text <same text> -Model {Model}", true, () => ModuleHost.Tokens(host.Invoke(ps =>
                ps.AddCommand("Measure-LlmTokens").AddParameter("Text", textArgument).AddParameter("Model", Model)))),
            new($"cmdlet: Measure-LlmTokens -Text 'hello world' (per-call overhead)", false, () => ModuleHost.Tokens(host.Invoke(ps =>
                ps.AddCommand("Measure-LlmTokens").AddParameter("Text", new[] { "hello world" }).AddParameter("Model", Model)))),
        ];

        for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
        {
            foreach (var variant in variants)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                sw.Restart();
                var result = variant.Run();
                var ms = sw.Elapsed.TotalMilliseconds;
                variant.Record(ms, result, timed: rep >= options.Warmup);
            }

            Console.Error.WriteLine($"  repetition {rep + 1}/{options.Warmup + options.Repetitions}{(rep < options.Warmup ? " (warmup)" : string.Empty)} done");
        }

        report.Table(
            ["input", "value"],
            [
                ["file", $"{N(corpus.Bytes)} bytes UTF-8 ({F(corpus.Bytes / 1048576.0)} MiB, {F(corpus.Bytes / 1e6)} MB), {N(corpus.Characters)} UTF-16 chars"],
                ["generated in", $"{F(generateMs, "0")} ms"],
                ["raw tokenizer build (CreateForEncoding, first in process)", $"{F(rawBuildMs, "0")} ms"],
                ["Import-Module in the bench runspace (not the cold-start figure)", $"{F(importMs, "0")} ms"],
                ["first raw call on the file (read + count; tokenizer already built; tier-0 JIT)", $"{F(variants[0].FirstMs, "0")} ms"],
                ["first cmdlet call on the file (builds the module's tokenizer; tier-0 JIT)", $"{F(variants[3].FirstMs, "0")} ms"],
            ],
            leftAlign: true);

        report.Table(
            ["variant", "median ms", "min ms", "max ms", "MB/s (median)", "MB/s (best)", "result"],
            variants.Select(v =>
            {
                var s = Stats.Of(v.Timings);
                return (IReadOnlyList<string>)
                [
                    v.Name, F(s.Median, "0.0"), F(s.Min, "0.0"), F(s.Max, "0.0"),
                    v.IsThroughput ? F(Stats.MBps(corpus.Bytes, s.Median)) : "",
                    v.IsThroughput ? F(Stats.MBps(corpus.Bytes, s.Min)) : "",
                    v.Name.EndsWith("ReadAllText only", StringComparison.Ordinal) ? $"{N(v.Results.First())} chars" : $"{N(v.Results.First())} tokens",
                ];
            }));

        var raw = Stats.Of(variants[0].Timings);
        var cmdlet = Stats.Of(variants[3].Timings);
        var ratioMedian = raw.Median / cmdlet.Median;
        var ratioBest = raw.Min / cmdlet.Min;
        var counts = variants.Where(v => v.IsThroughput).SelectMany(v => v.Results).Distinct().ToList();
        var countsEqual = counts.Count == 1;

        report.Line($"- ratio cmdlet/raw MB/s: {F(ratioMedian, "0.000")}x by median, {F(ratioBest, "0.000")}x by best run (goal >= {F(Goal, "0.0")}x): " +
                    (ratioMedian >= Goal ? "**met**" : "**not met**"));
        report.Line(countsEqual
            ? $"- token counts equal across raw and cmdlet variants and repetitions: **yes** ({N(counts[0])} tokens)"
            : $"- token counts equal across raw and cmdlet variants and repetitions: **NO** ({string.Join(", ", counts.Select(c => N(c)))})");
        report.Line();

        report.AddSummary(new("file size", $"{N(corpus.Bytes)} bytes ({F(corpus.Bytes / 1048576.0)} MiB)"));
        report.AddSummary(new("token count (o200k_base), raw = cmdlet", countsEqual ? N(counts[0]) : "MISMATCH: " + string.Join(" / ", counts.Select(c => N(c))), "equal", countsEqual));
        report.AddSummary(new("raw MB/s (read + CountTokens), median / best", $"{F(Stats.MBps(corpus.Bytes, raw.Median))} / {F(Stats.MBps(corpus.Bytes, raw.Min))}"));
        report.AddSummary(new("cmdlet MB/s (-LiteralPath), median / best", $"{F(Stats.MBps(corpus.Bytes, cmdlet.Median))} / {F(Stats.MBps(corpus.Bytes, cmdlet.Min))}"));
        report.AddSummary(new("ratio cmdlet / raw, median (best)", $"{F(ratioMedian, "0.000")}x ({F(ratioBest, "0.000")}x)", $">= {F(Goal, "0.0")}x", ratioMedian >= Goal));
        return countsEqual ? 0 : 1;
    }

    private sealed class Variant(string name, bool isThroughput, Func<long> run)
    {
        public string Name { get; } = name;

        /// <summary>True when it processes the whole file (MB/s and token count are meaningful).</summary>
        public bool IsThroughput { get; } = isThroughput;

        public List<double> Timings { get; } = [];

        /// <summary>The very first call, warmup or not (for the cmdlet: builds the module's tokenizer).</summary>
        public double FirstMs { get; private set; } = double.NaN;

        public List<long> Results { get; } = [];

        public long Run() => run();

        public void Record(double ms, long result, bool timed)
        {
            if (double.IsNaN(FirstMs))
            {
                FirstMs = ms;
            }

            if (timed)
            {
                Timings.Add(ms);
            }
            Results.Add(result);
        }
    }
}

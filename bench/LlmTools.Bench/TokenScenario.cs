using System.Diagnostics;
using Microsoft.ML.Tokenizers;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench;

/// <summary>
/// <c>Measure-LlmTokens -LiteralPath file -Model gpt-4o</c> in a warmed runspace against raw Microsoft.ML.Tokenizers
/// (<c>File.ReadAllText</c> + <c>CountTokens</c>, o200k_base) on the same generated ~10 MB file, in one process.
/// The raw tokenizer is the runner's own copy (default load context), the module's is in its own context.
/// </summary>
internal static class TokenScenario
{
    private const double Goal = 0.9;

    public static bool Run(Options options, Report report)
    {
        var path = Path.Combine(Path.GetTempPath(), $"llmtools-bench-tokens-{Environment.ProcessId}.txt");
        var (bytes, chars) = Corpus.WriteFile(path, 10L << 20);
        try
        {
            var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
            using var host = new ModuleHost();
            host.Import(options.Module);
            (string Name, Func<int> Count, List<double> Ms, HashSet<int> Tokens)[] variants =
            [
                ("raw: File.ReadAllText + CountTokens", () => tokenizer.CountTokens(File.ReadAllText(path)), [], []),
                ("cmdlet: Measure-LlmTokens -LiteralPath -Model gpt-4o", () => ModuleHost.Tokens(host.Invoke(ps =>
                    ps.AddCommand("Measure-LlmTokens").AddParameter("LiteralPath", path).AddParameter("Model", "gpt-4o"))), [], []),
            ];

            const int warmup = 2;
            for (var rep = 0; rep < warmup + options.Reps; rep++)
            {
                // why interleaved, GC first: load from other processes and leftover garbage hit both alike
                foreach (var v in rep % 2 == 0 ? variants : variants.Reverse())
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var sw = Stopwatch.StartNew();
                    v.Tokens.Add(v.Count());
                    if (rep >= warmup)
                    {
                        v.Ms.Add(sw.Elapsed.TotalMilliseconds);
                    }
                }

                Console.Error.WriteLine($"  tokens: repetition {rep + 1}/{warmup + options.Reps}");
            }

            double MBps(double ms) => bytes / 1e6 / (ms / 1000);
            var ratio = Median(variants[0].Ms) / Median(variants[1].Ms);
            var ratioBest = variants[0].Ms.Min() / variants[1].Ms.Min();
            var counts = variants.SelectMany(v => v.Tokens).Distinct().ToList();
            report.Line("## Token-count throughput: Measure-LlmTokens vs raw Microsoft.ML.Tokenizers");
            report.Line();
            report.Line($"File: {N(bytes)} bytes UTF-8, {N(chars)} UTF-16 chars of the bench corpus (bench/Shared/Corpus.cs). " +
                        $"{warmup} warmup + {options.Reps} timed repetitions, the two variants interleaved, a full GC before each. MB = 10^6 bytes.");
            report.Line();
            report.Table(
                ["variant", "median ms", "min ms", "MB/s (median)", "MB/s (best)", "tokens"],
                variants.Select(v => new[] { v.Name, F(Median(v.Ms), "0.0"), F(v.Ms.Min(), "0.0"), F(MBps(Median(v.Ms))), F(MBps(v.Ms.Min())), string.Join(" / ", v.Tokens.Select(t => N(t))) }));
            report.Line($"- ratio cmdlet / raw MB/s: **{F(ratio, "0.000")}x** by median, {F(ratioBest, "0.000")}x by best run; goal >= {F(Goal, "0.0")}x: {(ratio >= Goal ? "met" : "**not met**")}");
            report.Line($"- token counts equal (raw = cmdlet, every repetition): {(counts.Count == 1 ? "yes" : "**NO**")}");
            report.Line();
            return counts.Count == 1;
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using System.Diagnostics;
using System.Management.Automation;
using LlmTools.TestServer;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench;

/// <summary>
/// Pipelines far larger than the provider's limit, against the loopback server enforcing OpenAI-style limits (request
/// and token buckets refilling continuously, x-ratelimit headers, no Retry-After, refused requests counted): elapsed
/// time against the ideal, refusals, items lost, order. Also embeddings sent concurrently, and a cold cache against
/// -NoCache. Run it with <c>--module</c> pointing at an older build to get the "before" figures (a build without
/// -ThrottleLimit on Get-LlmEmbedding says so in its row).
/// </summary>
internal static class PacingScenario
{
    private const double IdealGoal = 1.15;
    private const double RefusedGoalPercent = 2;
    private const double CacheGoal = 1.2;

    // why: each runspace gets its own cache folder; all are removed when the scenario ends
    private static readonly List<string> CacheFolders = [];

    private static readonly string[] Overriding = ["LLMTOOLS_CACHE_DIR", "LLMTOOLS_CACHE_MODE", "LLMTOOLS_MODEL", "LLMTOOLS_API_TYPE", "OPENAI_BASE_URL", "OPENAI_API_BASE", "OPENAI_API_KEY", "LLMTOOLS_CONFIG"];

    /// <summary>What a case must show: <see cref="Goal.Paced"/> the time, refusal and loss goals; <see cref="Goal.NoneLost"/> no loss, in order; <see cref="Goal.AsBefore"/> no loss, its time compared with a pre-pacing build.</summary>
    private enum Goal { Paced, NoneLost, AsBefore }

    // why a factory: the server's buckets and counters are per run
    private sealed record Case(string Name, int Prompts, int Throttle, Func<ServerRateLimits?> Limits, int? MaxTokens, TimeSpan Latency, double IdealSeconds, Goal Goal);

    private sealed record ChatRun(double Elapsed, double Ideal, int Admitted, int Refused, int Lost, int Errors, bool Order)
    {
        public double RefusedPercent => Admitted + Refused == 0 ? 0 : 100.0 * Refused / (Admitted + Refused);
    }

    public static bool Run(Options options, Report report)
    {
        var saved = Overriding.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        Array.ForEach(Overriding, v => Environment.SetEnvironmentVariable(v, null));
        try
        {
            report.Line("## Pacing: pipelines far larger than the rate limit");
            report.Line();
            report.Line("Loopback server of tests/LlmTools.TestServer with `ServerRateLimits`: buckets that hold the limit and refill continuously over the window, "
                + "x-ratelimit-* headers on every answer, a 429 with \"Please try again in ...\" and no Retry-After, refused requests counted. "
                + "The token cost the server charges is prompt characters / 4 + max_tokens, as OpenAI estimates at admission. "
                + "Ideal time: (total cost - bucket) / refill rate, plus one latency (without a limit: rounds of -ThrottleLimit requests times the latency). "
                + "Windows shorter than a minute keep the runs short; the limiter learns the refill rate from the reset headers. "
                + $"`$input | Send-LlmMessage -NoCache -ThrottleLimit N [-MaxTokens 100] -ErrorAction Continue`, 100 ms server latency, a fresh server and runspace per run, {options.Reps} run(s) per case (values per run, in order). "
                + "*lost*: prompts without an answer; *order kept*: the answers that came are in input order.");
            report.Line();
            var requestsBound = () => new ServerRateLimits { Requests = 40, Window = TimeSpan.FromSeconds(4) };
            var latency = TimeSpan.FromMilliseconds(100);
            var cases = new List<Case>
            {
                new("requests-bound (40 per 4 s)", 400, 64, requestsBound, null, latency, (400 - 40) / 10.0 + 0.1, Goal.Paced),
                new("tokens-bound (4,400 per 4 s, -MaxTokens 100)", 400, 64, () => new ServerRateLimits { Tokens = 4_400, Window = TimeSpan.FromSeconds(4) }, 100, latency, 0, Goal.Paced),
                new("requests-bound (40 per 4 s)", 400, 4, requestsBound, null, latency, (400 - 40) / 10.0 + 0.1, Goal.AsBefore),
                new("no rate limit", 400, 4, () => null, null, latency, 400 / 4 * 0.1, Goal.AsBefore),
            };
            if (!options.Quick)
            {
                cases.Add(new("3,000 requests per minute (a real minute)", 10_000, 64, () => new ServerRateLimits { Requests = 3_000 }, null, latency, (10_000 - 3_000) / 50.0 + 0.1, Goal.NoneLost));
            }

            var rows = new List<string[]>();
            var ok = true;
            foreach (var c in cases)
            {
                var runs = Enumerable.Range(0, options.Reps).Select(_ => RunChat(options, c)).ToList();
                var correct = runs.All(r => r.Lost == 0 && r.Order);
                ok &= correct;
                var met = c.Goal switch
                {
                    Goal.Paced => correct && runs.All(r => r.Elapsed / r.Ideal <= IdealGoal && r.RefusedPercent <= RefusedGoalPercent),
                    _ => correct,
                };
                var goal = c.Goal switch
                {
                    Goal.Paced => $"<= {F(IdealGoal)}x, <= {F(RefusedGoalPercent, "0")} % refused, none lost, in order",
                    Goal.NoneLost => "none lost, in order",
                    _ => "none lost, in order; time: no slower than a pre-pacing build (--module)",
                };
                rows.Add([
                    c.Name, N(c.Prompts), N(c.Throttle), F(runs[0].Ideal, "0.0"),
                    string.Join(" / ", runs.Select(r => F(r.Elapsed, "0.0"))),
                    string.Join(" / ", runs.Select(r => F(r.Elapsed / r.Ideal))),
                    string.Join(" / ", runs.Select(r => N(r.Refused))),
                    string.Join(" / ", runs.Select(r => F(r.RefusedPercent, "0.0"))),
                    string.Join(" / ", runs.Select(r => N(r.Lost))),
                    runs.All(r => r.Order) ? "yes" : "no",
                    goal, met ? "met" : "**not met**",
                ]);
            }

            report.Table(["case", "prompts", "-ThrottleLimit", "ideal s", "elapsed s", "x ideal", "refused", "refused %", "lost", "order kept", "goal", "met"], rows);
            ok &= Embeddings(options, report);
            ok &= ColdCache(options, report);
            return ok;
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            foreach (var folder in CacheFolders)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // why: best effort; a leftover temp folder is harmless
                }
            }
        }
    }

    private static ChatRun RunChat(Options options, Case c)
    {
        var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            var limits = c.Limits();
            server.RateLimits = limits;
            server.Latency = c.Latency;
            using var host = Host(options, server);
            var prompts = Enumerable.Range(1, c.Prompts).Select(i => $"Summarise ticket number {i} in one short line please.").ToArray();
            var ideal = c.IdealSeconds > 0 ? c.IdealSeconds : IdealForTokens(prompts, c, limits!);
            var maxTokens = c.MaxTokens is { } m ? $" -MaxTokens {m}" : string.Empty;
            var watch = Stopwatch.StartNew();
            using var ps = PowerShell.Create(host.Runspace);
            ps.AddScript($"$input | Send-LlmMessage -NoCache -ThrottleLimit {c.Throttle}{maxTokens} -ErrorAction Continue");
            var output = ps.Invoke(prompts);
            var elapsed = watch.Elapsed.TotalSeconds;
            var answers = output.Select(o => o.Properties["Content"]?.Value as string).ToList();
            var expected = prompts.Select(p => "Echo: " + p).ToList();
            var run = new ChatRun(elapsed, ideal, limits?.Admitted ?? server.Requests.Count, limits?.Refused ?? 0,
                prompts.Length - answers.Count, ps.Streams.Error.Count, InOrder(answers, expected));
            Console.Error.WriteLine($"pacing {c.Name} x{c.Throttle}: {elapsed:0.0} s (ideal {ideal:0.0}, {elapsed / ideal:0.00}x), refused {run.Refused} ({run.RefusedPercent:0.0} %), lost {run.Lost}, errors {run.Errors}, order {(run.Order ? "kept" : "NOT kept")}; first rounds {string.Join("+", Rounds(server.Requests).Split('+').Take(6))}");
            foreach (var error in ps.Streams.Error.Take(3))
            {
                Console.Error.WriteLine($"  error: {error}");
            }

            return run;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>True when <paramref name="answers"/> are distinct items of <paramref name="expected"/> in its order (some may be missing).</summary>
    private static bool InOrder(IReadOnlyList<string?> answers, IReadOnlyList<string> expected)
    {
        var next = 0;
        foreach (var answer in answers)
        {
            while (next < expected.Count && expected[next] != answer)
            {
                next++;
            }

            if (next == expected.Count)
            {
                return false;
            }

            next++;
        }

        return true;
    }

    private static double IdealForTokens(string[] prompts, Case c, ServerRateLimits limits)
    {
        var perRequest = prompts.Select(p => ((p.Length + 3) / 4) + c.MaxTokens!.Value).ToArray();
        var bucket = limits.Tokens!.Value;
        var rate = bucket / limits.Window.TotalSeconds;
        return ((perRequest.Sum() - bucket) / rate) + c.Latency.TotalSeconds;
    }

    private static bool Embeddings(Options options, Report report)
    {
        report.Line("## Get-LlmEmbedding -ThrottleLimit: 1,000 texts, batches of 100, 200 ms per request, no rate limit");
        report.Line();
        report.Line($"`$input | Get-LlmEmbedding -NoCache -BatchSize 100 [-ThrottleLimit 4]`; a fresh server and runspace per run, {options.Reps} run(s) (values per run). "
            + "Ideal: rounds of -ThrottleLimit batches times 200 ms (10 batches: 2.0 s one at a time, 0.6 s four at a time). "
            + "The issue's figure before pacing: one batch at a time, 2.1 s.");
        report.Line();
        var rows = new List<string[]>();
        var ok = true;
        foreach (var throttle in new[] { 1, 4 })
        {
            var ideal = Math.Ceiling(10.0 / throttle) * 0.2;
            var times = new List<double>();
            var requests = new List<int>();
            var rounds = new List<string>();
            var errors = 0;
            var order = true;
            var unsupported = false;
            for (var rep = 0; rep < options.Reps && !unsupported; rep++)
            {
                var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
                try
                {
                    server.Latency = TimeSpan.FromMilliseconds(200);
                    using var host = Host(options, server);
                    var texts = Enumerable.Range(1, 1_000).Select(i => $"text {i}").ToArray();
                    var throttleParameter = throttle > 1 ? $" -ThrottleLimit {throttle}" : string.Empty;
                    var watch = Stopwatch.StartNew();
                    using var ps = PowerShell.Create(host.Runspace);
                    ps.AddScript($"$input | Get-LlmEmbedding -NoCache -BatchSize 100{throttleParameter} -ErrorAction Continue");
                    var output = ps.Invoke(texts);
                    var elapsed = watch.Elapsed.TotalSeconds;

                    // why from the error stream: a parameter the build lacks fails the script's statement, it does not throw
                    if (ps.Streams.Error.Any(e => e.Exception is ParameterBindingException))
                    {
                        unsupported = true;
                        break;
                    }

                    times.Add(elapsed);
                    requests.Add(server.Requests.Count);
                    rounds.Add(Rounds(server.Requests));
                    errors += ps.Streams.Error.Count;
                    order &= output.Select(o => o.Properties["Text"].Value as string).SequenceEqual(texts);
                    Console.Error.WriteLine($"embeddings x{throttle}: {elapsed:0.00} s, {server.Requests.Count} requests, errors {ps.Streams.Error.Count}");
                }
                finally
                {
                    server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }

            if (unsupported)
            {
                rows.Add([N(throttle), F(ideal, "0.0"), "-", "-", "no -ThrottleLimit in this build", "-", "-", "-"]);
                continue;
            }

            ok &= order && errors == 0;
            rows.Add([N(throttle), F(ideal, "0.0"), string.Join(" / ", requests.Select(r => N(r))), string.Join(" / ", rounds), string.Join(" / ", times.Select(t => F(t, "0.00"))),
                string.Join(" / ", times.Select(t => F(t / ideal))), order ? "yes" : "no", N(errors)]);
        }

        report.Table(["-ThrottleLimit", "ideal s", "requests", "requests per round", "elapsed s", "x ideal", "order kept", "errors"], rows);
        report.Line("- *requests per round*: the requests the server received together (less than 100 ms, half the latency, after the one before), round after round");
        report.Line();
        return ok;
    }

    /// <summary>How many requests arrived in each burst (a gap of 100 ms or more starts the next): "1+2+4+3".</summary>
    private static string Rounds(IReadOnlyList<RecordedRequest> requests)
    {
        var sizes = new List<int>();
        DateTimeOffset? last = null;
        foreach (var at in requests.Select(r => r.ReceivedAt).Order())
        {
            if (last is null || at - last.Value >= TimeSpan.FromMilliseconds(100))
            {
                sizes.Add(0);
            }

            sizes[^1]++;
            last = at;
        }

        return string.Join("+", sizes);
    }

    private static bool ColdCache(Options options, Report report)
    {
        // why at least 9: a run takes 0.03 to 0.6 s, and two runs on a shared machine are no median
        var cacheRuns = Math.Max(options.Reps, 9);
        report.Line("## A cold cache against -NoCache: 999 texts to Get-LlmEmbedding (10 requests), and the first chat answer with -Cache");
        report.Line();
        report.Line("Each run in a fresh runspace and cache folder: one text first (warms the runspace, the module and the server's first request; it creates the cache folder), "
            + "then 999 more texts timed, `$input | Get-LlmEmbedding -BatchSize 100` with `-NoCache`, with a cold cache (ReadWrite, the default), "
            + "and with a cold cache in `-CacheMode ReadOnly` (the same lookups, no entry written), the variants interleaved. "
            + "Rows at 0 ms are the issue's figure; the 50 ms rows show the same with a server that takes time to answer. "
            + $"Medians of {cacheRuns} runs (at least 9, whatever --reps) after one discarded, with the range; goal: cold cache <= {F(CacheGoal, "0.0")}x -NoCache.");
        report.Line();
        var rows = new List<string[]>();
        foreach (var latencyMs in new[] { 0, 50 })
        {
            var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
            try
            {
                server.Latency = TimeSpan.FromMilliseconds(latencyMs);
                var variants = new[] { ("-NoCache", " -NoCache"), ("cold cache", string.Empty), ("cold cache, -CacheMode ReadOnly", " -CacheMode ReadOnly") };
                var times = variants.ToDictionary(v => v.Item1, _ => new List<double>());
                for (var rep = 0; rep < cacheRuns + 1; rep++)
                {
                    foreach (var (name, parameters) in variants)
                    {
                        using var host = Host(options, server);
                        var texts = Enumerable.Range(1, 1_000).Select(i => $"text {latencyMs} {rep} {name} {i}").ToArray();
                        using var ps = PowerShell.Create(host.Runspace);
                        ps.AddScript($"$input | Get-LlmEmbedding -BatchSize 100{parameters}");
                        ps.Invoke(texts.Take(1).ToArray());
                        ModuleHost.ThrowOnErrors(ps);
                        ps.Commands.Clear();
                        ps.AddScript($"$input | Get-LlmEmbedding -BatchSize 100{parameters}");
                        var watch = Stopwatch.StartNew();
                        var output = ps.Invoke(texts.Skip(1).ToArray());
                        var elapsed = watch.Elapsed.TotalSeconds;
                        ModuleHost.ThrowOnErrors(ps);
                        if (output.Count != 999)
                        {
                            throw new InvalidOperationException($"{name}: {output.Count} vectors for 999 texts");
                        }

                        if (rep > 0)
                        {
                            times[name].Add(elapsed);
                        }
                    }
                }

                var noCache = Median(times["-NoCache"]);
                foreach (var (name, _) in variants)
                {
                    var t = times[name];
                    var ratio = Median(t) / noCache;
                    var goal = name == "cold cache" ? (ratio <= CacheGoal ? "met" : "**not met**") : string.Empty;
                    rows.Add([$"Get-LlmEmbedding, 999 texts, {latencyMs} ms server latency", name, F(Median(t) * 1000, "0.0"), $"{F(t.Min() * 1000, "0.0")} - {F(t.Max() * 1000, "0.0")}", F(ratio), goal]);
                }
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        var chatServer = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            var first = new Dictionary<string, List<double>> { ["-NoCache"] = [], ["-Cache"] = [] };
            for (var rep = 0; rep < cacheRuns + 1; rep++)
            {
                foreach (var variant in first.Keys)
                {
                    using var host = Host(options, chatServer);
                    using var ps = PowerShell.Create(host.Runspace);
                    ps.AddScript($"Send-LlmMessage 'warm up {rep}' {variant}");
                    ps.Invoke();
                    ModuleHost.ThrowOnErrors(ps);
                    ps.Commands.Clear();
                    ps.AddScript($"Send-LlmMessage 'first question {rep} {variant}' {variant}");
                    var watch = Stopwatch.StartNew();
                    ps.Invoke();
                    var elapsed = watch.Elapsed.TotalMilliseconds;
                    ModuleHost.ThrowOnErrors(ps);
                    if (rep > 0)
                    {
                        first[variant].Add(elapsed);
                    }
                }
            }

            var baseline = Median(first["-NoCache"]);
            foreach (var (name, t) in first)
            {
                var ratio = Median(t) / baseline;
                rows.Add(["Send-LlmMessage, one answer, 0 ms server latency", name, F(Median(t), "0.0"), $"{F(t.Min(), "0.0")} - {F(t.Max(), "0.0")}", F(ratio), name == "-Cache" ? (ratio <= CacheGoal ? "met" : "**not met**") : string.Empty]);
            }
        }
        finally
        {
            chatServer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        report.Table(["what", "variant", "median ms", "range ms", "x -NoCache", $"goal <= {F(CacheGoal, "0.0")}x"], rows);
        return true;
    }

    private static ModuleHost Host(Options options, LoopbackLlmServer server)
    {
        var cacheDir = Directory.CreateTempSubdirectory("llmtools-bench-cache-").FullName;
        CacheFolders.Add(cacheDir);
        var host = new ModuleHost($"[OpenAI]\nMODEL=gpt-4o-mini\nWAITING_TIME=0.5\n[LlmTools]\nENDPOINT={server.OpenAIEndpoint}\nCACHE_DIR={cacheDir}\n");
        host.Import(options.Module);
        return host;
    }
}

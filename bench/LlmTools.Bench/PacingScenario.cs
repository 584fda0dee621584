using System.Diagnostics;
using System.Management.Automation;
using LlmTools.TestServer;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench;

/// <summary>
/// Pipelines far larger than the provider's limit, against the loopback server enforcing OpenAI-style limits (request
/// and token buckets refilling continuously, x-ratelimit headers, no Retry-After, refused requests counted): elapsed
/// time against the ideal, refusals, items lost, order. Also embeddings sent concurrently, and a cold cache against
/// -NoCache. Run it with <c>--module</c> pointing at an older build to get the "before" figures.
/// </summary>
internal static class PacingScenario
{
    private static readonly string[] Overriding = ["LLMTOOLS_CACHE_DIR", "LLMTOOLS_CACHE_MODE", "LLMTOOLS_MODEL", "LLMTOOLS_API_TYPE", "OPENAI_BASE_URL", "OPENAI_API_BASE", "OPENAI_API_KEY", "LLMTOOLS_CONFIG"];

    private sealed record Case(string Name, int Prompts, int Throttle, ServerRateLimits Limits, int? MaxTokens, TimeSpan Latency, double IdealSeconds);

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
                + "Ideal time: (total cost - bucket) / refill rate, plus one latency. Windows shorter than a minute keep the runs short; the limiter learns the refill rate from the reset headers.");
            report.Line();
            var cases = new List<Case>
            {
                new("requests-bound", 400, 64, new ServerRateLimits { Requests = 40, Window = TimeSpan.FromSeconds(4) }, null, TimeSpan.FromMilliseconds(100), (400 - 40) / 10.0 + 0.1),
                new("tokens-bound (-MaxTokens 100)", 400, 64, new ServerRateLimits { Tokens = 4_400, Window = TimeSpan.FromSeconds(4) }, 100, TimeSpan.FromMilliseconds(100), 0),
                new("requests-bound", 400, 4, new ServerRateLimits { Requests = 40, Window = TimeSpan.FromSeconds(4) }, null, TimeSpan.FromMilliseconds(100), (400 - 40) / 10.0 + 0.1),
            };
            if (!options.Quick)
            {
                cases.Add(new("3,000 requests per minute (a real minute)", 10_000, 64, new ServerRateLimits { Requests = 3_000 }, null, TimeSpan.FromMilliseconds(100), (10_000 - 3_000) / 50.0 + 0.1));
            }

            var rows = new List<string[]>();
            var ok = true;
            foreach (var c in cases)
            {
                var (row, passed) = RunChat(options, c);
                rows.Add(row);
                ok &= passed;
            }

            report.Table(["case", "prompts", "-ThrottleLimit", "ideal s", "elapsed s", "x ideal", "admitted", "refused", "refused %", "lost", "order kept"], rows);
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
        }
    }

    private static (string[] Row, bool Ok) RunChat(Options options, Case c)
    {
        var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            server.RateLimits = c.Limits;
            server.Latency = c.Latency;
            using var host = Host(options, server);
            var prompts = Enumerable.Range(1, c.Prompts).Select(i => $"Summarise ticket number {i} in one short line please.").ToArray();
            var ideal = c.IdealSeconds > 0 ? c.IdealSeconds : IdealForTokens(prompts, c);
            var maxTokens = c.MaxTokens is { } m ? $" -MaxTokens {m}" : string.Empty;
            var watch = Stopwatch.StartNew();
            using var ps = PowerShell.Create(host.Runspace);
            ps.AddScript($"$input | Send-LlmMessage -NoCache -ThrottleLimit {c.Throttle}{maxTokens} -ErrorAction Continue");
            var output = ps.Invoke(prompts);
            var elapsed = watch.Elapsed.TotalSeconds;
            var lost = ps.Streams.Error.Count;
            var order = output.Select(o => o.Properties["Content"].Value as string).SequenceEqual(prompts.Select(p => "Echo: " + p));
            var refusedShare = 100.0 * c.Limits.Refused / (c.Limits.Admitted + c.Limits.Refused);
            Console.Error.WriteLine($"pacing {c.Name} x{c.Throttle}: {elapsed:0.0} s (ideal {ideal:0.0}), refused {c.Limits.Refused}, lost {lost}");
            return ([c.Name, N(c.Prompts), N(c.Throttle), F(ideal, "0.0"), F(elapsed, "0.0"), F(elapsed / ideal), N(c.Limits.Admitted), N(c.Limits.Refused), F(refusedShare, "0.0"), N(lost), order ? "yes" : "no"],
                lost == 0 && order);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double IdealForTokens(string[] prompts, Case c)
    {
        var perRequest = prompts.Select(p => ((p.Length + 3) / 4) + c.MaxTokens!.Value).ToArray();
        var bucket = c.Limits.Tokens!.Value;
        var rate = bucket / c.Limits.Window.TotalSeconds;
        return ((perRequest.Sum() - bucket) / rate) + c.Latency.TotalSeconds;
    }

    private static bool Embeddings(Options options, Report report)
    {
        report.Line("## Get-LlmEmbedding -ThrottleLimit: 1,000 texts, batches of 100, 200 ms per request, no rate limit");
        report.Line();
        var rows = new List<string[]>();
        var ok = true;
        foreach (var throttle in new[] { 1, 4 })
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
                var order = output.Select(o => o.Properties["Text"].Value as string).SequenceEqual(texts);
                ok &= order && ps.Streams.Error.Count == 0;
                rows.Add([N(throttle), N(server.Requests.Count), F(elapsed, "0.00"), order ? "yes" : "no", N(ps.Streams.Error.Count)]);
            }
            catch (ParameterBindingException) when (throttle > 1)
            {
                rows.Add([N(throttle), "-", "no -ThrottleLimit in this build", "-", "-"]);
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        report.Table(["-ThrottleLimit", "requests", "elapsed s", "order kept", "errors"], rows);
        return ok;
    }

    private static bool ColdCache(Options options, Report report)
    {
        report.Line("## A cold cache against -NoCache: 1,000 texts to Get-LlmEmbedding (10 requests), and the first chat answer with -Cache");
        report.Line();
        var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            var rows = new List<string[]>();
            var times = new Dictionary<string, List<double>>();
            for (var rep = 0; rep < options.Reps + 1; rep++)
            {
                foreach (var variant in new[] { "-NoCache", "cold cache" })
                {
                    using var host = Host(options, server);
                    var texts = Enumerable.Range(1, 1_000).Select(i => $"text {rep} {i}").ToArray();
                    using var ps = PowerShell.Create(host.Runspace);
                    ps.AddScript($"$input | Get-LlmEmbedding -BatchSize 100{(variant == "-NoCache" ? " -NoCache" : string.Empty)}");
                    ps.Invoke(texts.Take(1).ToArray()); // why: warm the runspace and the module, the server's first request
                    ps.Commands.Clear();
                    ps.AddScript($"$input | Get-LlmEmbedding -BatchSize 100{(variant == "-NoCache" ? " -NoCache" : string.Empty)}");
                    var watch = Stopwatch.StartNew();
                    ps.Invoke(texts.Skip(1).ToArray());
                    if (rep > 0)
                    {
                        (times.TryGetValue(variant, out var list) ? list : times[variant] = []).Add(watch.Elapsed.TotalSeconds);
                    }
                }
            }

            var noCache = Median(times["-NoCache"]);
            var cold = Median(times["cold cache"]);
            rows.Add(["Get-LlmEmbedding, 999 texts", F(noCache, "0.000"), F(cold, "0.000"), F(cold / noCache)]);
            var first = new Dictionary<string, List<double>>();
            for (var rep = 0; rep < options.Reps + 1; rep++)
            {
                foreach (var variant in new[] { "-NoCache", "-Cache" })
                {
                    using var host = Host(options, server);
                    using var ps = PowerShell.Create(host.Runspace);
                    ps.AddScript($"Send-LlmMessage 'warm up {rep}' {variant}");
                    ps.Invoke();
                    ps.Commands.Clear();
                    ps.AddScript($"Send-LlmMessage 'first question {rep} {variant}' {variant}");
                    var watch = Stopwatch.StartNew();
                    ps.Invoke();
                    if (rep > 0)
                    {
                        (first.TryGetValue(variant, out var list) ? list : first[variant] = []).Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
            }

            rows.Add(["Send-LlmMessage, one answer (ms)", F(Median(first["-NoCache"]), "0.0"), F(Median(first["-Cache"]), "0.0"), F(Median(first["-Cache"]) / Median(first["-NoCache"]))]);
            report.Table(["what", "-NoCache (median s)", "cold cache (median s)", "ratio"], rows);
            report.Line($"- medians of {options.Reps} runs after one discarded; each run in a fresh runspace and cache folder; goal ratio <= 1.2");
            report.Line();
            return true;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static ModuleHost Host(Options options, LoopbackLlmServer server)
    {
        var cacheDir = Directory.CreateTempSubdirectory("llmtools-bench-cache-").FullName;
        var host = new ModuleHost($"[OpenAI]\nMODEL=gpt-4o-mini\nWAITING_TIME=0.5\n[LlmTools]\nENDPOINT={server.OpenAIEndpoint}\nCACHE_DIR={cacheDir}\n");
        host.Import(options.Module);
        return host;
    }
}

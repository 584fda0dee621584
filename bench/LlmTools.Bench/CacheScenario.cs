using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using LlmTools.TestServer;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench;

/// <summary>
/// The cmdlet-level cache hit per piped item: caches of 10 and 10,000 chat answers and embeddings, filled through the
/// loopback OpenAI server of the tests, read back with <c>-CacheMode Replay</c> (the server must see no request).
/// </summary>
internal static class CacheScenario
{
    private const int Piped = 1_000;
    private const int RunsPerRep = 5;

    // why: each would override the ./config.ini that points the runspaces at their cache folder and the server
    private static readonly string[] Overriding = ["LLMTOOLS_CACHE_DIR", "LLMTOOLS_CACHE_MODE", "LLMTOOLS_MODEL", "LLMTOOLS_API_TYPE", "OPENAI_BASE_URL"];

    public static bool Run(Options options, Report report)
    {
        var saved = Overriding.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        Array.ForEach(Overriding, v => Environment.SetEnvironmentVariable(v, null));
        var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        var worlds = new List<World>();
        try
        {
            foreach (var chat in new[] { true, false })
            {
                foreach (var entries in new[] { 10, 10_000 })
                {
                    worlds.Add(new World(options.Module, server, chat, entries));
                }
            }

            return Measure(options, report, server, worlds);
        }
        finally
        {
            worlds.ForEach(w => w.Dispose());
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    private static bool Measure(Options options, Report report, LoopbackLlmServer server, List<World> worlds)
    {
        var ok = worlds.All(w => w.FillOk);
        // per kind: 10 entries cycled from both caches (only the cache's size differs), then 1,000 distinct entries of the large one
        var rows = worlds.Chunk(2).SelectMany(pair => new[] { (World: pair[0], Distinct: false), (World: pair[1], Distinct: false), (World: pair[1], Distinct: true) })
            .Select(m => (m.World, m.Distinct, Us: new List<double>(), Kb: new List<double>())).ToList();
        var requestsBefore = server.Requests.Count;
        const int warmupRuns = 3;
        for (var run = 0; run < warmupRuns + RunsPerRep * options.Reps; run++)
        {
            // why: the 10- and 10,000-entry variants back to back, taking turns at going first
            foreach (var row in run % 2 == 0 ? rows : Enumerable.Reverse(rows))
            {
                var texts = Enumerable.Range(0, Piped).Select(i => row.World.Text(row.Distinct ? i * (row.World.Entries / Piped) + run % 10 : i % 10)).ToArray();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var bytes = GC.GetTotalAllocatedBytes(precise: true);
                var sw = Stopwatch.StartNew();
                var output = row.World.Host.Invoke(ps => (row.World.IsChat ? ps.AddCommand("Send-LlmMessage").AddParameter("Cache") : ps.AddCommand("Get-LlmEmbedding")).AddParameter("CacheMode", "Replay"), texts);
                var us = sw.Elapsed.TotalMicroseconds / Piped;
                var kb = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1024.0 / Piped;
                ok &= output.Count == Piped && output.Select((o, i) => row.World.IsCachedAnswer(o, texts[i])).All(b => b);
                if (run >= warmupRuns)
                {
                    row.Us.Add(us);
                    row.Kb.Add(kb);
                }
            }

            Console.Error.WriteLine($"  cache: run {run + 1}/{warmupRuns + RunsPerRep * options.Reps}");
        }

        var hitRequests = server.Requests.Count - requestsBefore;
        ok &= hitRequests == 0;
        report.Line("## Cache hit per piped item: Send-LlmMessage and Get-LlmEmbedding, -CacheMode Replay");
        report.Line();
        report.Line("Four fresh cache folders, each with its own runspace whose ./config.ini sets `CACHE_DIR`, `ENDPOINT` and `WAITING_TIME=0`, " +
                    "filled through the loopback OpenAI server of tests/LlmTools.TestServer (`Send-LlmMessage -Cache -ThrottleLimit 8`, prompts " +
                    "`prompt 0`, `prompt 1`, ...; `Get-LlmEmbedding -BatchSize 100`, texts `text 0`, ...). A sample is 1,000 cached texts piped " +
                    $"into one call with `-CacheMode Replay`, time / 1,000; {warmupRuns} warmup runs, then {RunsPerRep * options.Reps} timed runs, a full GC before each sample. " +
                    "*10 cycled*: entries 0 to 9 cycled, from both caches (only the cache's size differs); *1,000 distinct*: another slice of the " +
                    "10,000-entry cache each run. Every answer is checked to be the cached one for its input, in order.");
        report.Line();
        report.Table(
            ["cache", "entries", "requests", "entry files", "fill s"],
            worlds.Select(w => new[] { w.IsChat ? "chat" : "embeddings", N(w.Entries), N(w.FillRequests), N(w.Files), F(w.FillSeconds, "0.0") }));
        report.Table(
            ["hit, piped", "cache entries", "read", "samples", "median µs per item", "min µs", "KB allocated per item (median)"],
            rows.Select(r => new[]
            {
                r.World.IsChat ? "chat: `Send-LlmMessage -Cache -CacheMode Replay`" : "embedding: `Get-LlmEmbedding -CacheMode Replay`",
                N(r.World.Entries), r.Distinct ? "1,000 distinct" : "10 cycled", r.Us.Count.ToString(CultureInfo.InvariantCulture), F(Median(r.Us), "0.0"), F(r.Us.Min(), "0.0"), F(Median(r.Kb), "0.0"),
            }));
        foreach (var kind in rows.Chunk(3))
        {
            report.Line($"- {(kind[0].World.IsChat ? "chat" : "embedding")} hit, 10,000 / 10 entries (same 10 cycled): {F(Median(kind[1].Us) / Median(kind[0].Us))}x by median, {F(kind[1].Us.Min() / kind[0].Us.Min())}x by min; goal <= 1.2x (median)");
        }

        report.Line($"- requests the server saw during replay hits: {hitRequests} (must be 0); fills and answers checked: {(ok ? "yes" : "**FAILED**")}");
        report.Line();
        return ok;
    }

    /// <summary>One cache folder with its runspace, filled through the server by the cmdlet itself.</summary>
    private sealed class World : IDisposable
    {
        private readonly string _cacheDirectory;

        public World(string module, LoopbackLlmServer server, bool chat, int entries)
        {
            (IsChat, Entries) = (chat, entries);
            _cacheDirectory = Directory.CreateTempSubdirectory("llmtools-bench-cache-").FullName;
            Host = new ModuleHost($"[OpenAI]\nWAITING_TIME=0\nMODEL=gpt-4o-mini\nEMBEDDING_MODEL=text-embedding-3-small\n" +
                                  $"[LlmTools]\nENDPOINT={server.OpenAIEndpoint}\nCACHE_DIR={_cacheDirectory}\nCACHE_MODE=readwrite\n");
            Host.Import(module);
            var route = chat ? LlmRoute.Chat : LlmRoute.Embeddings;
            var before = server.CountOf(route);
            var sw = Stopwatch.StartNew();
            var output = Host.Invoke(
                ps => (chat ? ps.AddCommand("Send-LlmMessage").AddParameter("Cache").AddParameter("ThrottleLimit", 8) : ps.AddCommand("Get-LlmEmbedding").AddParameter("BatchSize", 100))
                    .AddParameter("ApiKey", "x"),
                Enumerable.Range(0, entries).Select(Text).ToArray());
            FillSeconds = sw.Elapsed.TotalSeconds;
            FillRequests = server.CountOf(route) - before;
            Files = Directory.GetFiles(_cacheDirectory, "*.json", SearchOption.AllDirectories).Length;
            FillOk = output.Count == entries && FillRequests == (chat ? entries : (entries + 99) / 100) && Files == entries;
            Console.Error.WriteLine($"  cache: filled {entries} {(chat ? "chat" : "embedding")} entries in {F(FillSeconds, "0.0")} s");
        }

        public bool IsChat { get; }

        public int Entries { get; }

        public ModuleHost Host { get; }

        public double FillSeconds { get; }

        public int FillRequests { get; }

        public int Files { get; }

        public bool FillOk { get; }

        public string Text(int i) => IsChat ? $"prompt {i}" : $"text {i}";

        public bool IsCachedAnswer(PSObject o, string text) => (bool)o.Properties["Cached"].Value &&
            (IsChat ? (string)o.Properties["Content"].Value == "Echo: " + text : (string)o.Properties["Text"].Value == text);

        public void Dispose()
        {
            Host.Dispose();
            Directory.Delete(_cacheDirectory, recursive: true);
        }
    }
}

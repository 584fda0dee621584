using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using LlmTools.TestServer;
using static LlmTools.Bench.Report;

namespace LlmTools.Bench.Scenarios;

/// <summary>
/// Response-cache hit latency. Caches of 10 and 10,000 entries (chat answers, and embeddings, each kind in its own
/// fresh folder) are filled through a real loopback OpenAI server, then read back with <c>-CacheMode Replay</c>
/// (no network; the server's request count must not move): many items piped into one call (the amortised per-item
/// cost), and single-item calls end to end. Misses against the same server (no cache) show what a hit saves; the
/// engine's steps, timed alone, and floors of the invocation path show where the time goes.
/// </summary>
internal sealed class CacheHitScenario : IScenario
{
    internal const double HitGoalMs = 1.0;
    internal const double RatioGoal = 1.2;
    internal const int Small = 10;
    internal const int Large = 10_000;
    internal const int Piped = 1_000;
    internal const int Runs = 5;
    internal const int SingleCallsPerRun = 20;
    internal const int ChatMisses = 100;
    internal const string ChatPiped = "chat hit, piped prompts, 10 entries cycled";
    internal const string ChatPipedDistinct = "chat hit, piped prompts, 1,000 distinct entries";
    internal const string ChatTemplate = "chat hit, piped objects, `-Template 'prompt {{N}}'`, 10 entries cycled";
    internal const string ChatSingleName = "chat hit, single call";
    internal const string EmbeddingPiped = "embedding hit, piped texts, 10 entries cycled";
    internal const string EmbeddingPipedDistinct = "embedding hit, piped texts, 1,000 distinct entries";
    internal const string EmbeddingSingleName = "embedding hit, single call";
    internal const string ChatMissName = "chat miss, piped, -ThrottleLimit ";
    internal const string EmbeddingMissName = "embedding miss, piped, batches of 100";
    internal const string ChatSingle = "Send-LlmMessage 'prompt 7' -Cache -CacheMode Replay";
    internal const string EmbeddingSingle = "Get-LlmEmbedding 'text 7' -CacheMode Replay";
    internal const string ScriptFloor = "'prompt 7'";
    internal const string CmdletFloor = "Measure-LlmTokens -Text 'prompt 7' -Model gpt-4o-mini";
    internal const string SettingsFloor = "Measure-LlmTokens -Text 'prompt 7'";
    internal const string SettingsStep = "settings: `SettingsLoader.Load` (module, user and ./config.ini, environment)";

    // why: each would override the ./config.ini that points the runspaces at their cache folder and the server
    private static readonly string[] OverridingVariables = ["LLMTOOLS_CACHE_DIR", "LLMTOOLS_CACHE_MODE", "LLMTOOLS_MODEL", "LLMTOOLS_API_TYPE", "OPENAI_BASE_URL"];

    private readonly List<string> _problems = [];
    private FirstChanceCounter _exceptions = null!;

    public string Name => "cache-hit";

    public IReadOnlyList<string> Groups => ["cache"];

    public string Title => "Response-cache hit latency: Send-LlmMessage and Get-LlmEmbedding";

    public string Description =>
        $"A loopback OpenAI server (tests/LlmTools.TestServer, Kestrel on 127.0.0.1 in this process) answers the requests that fill " +
        $"four fresh cache folders: {N(Small)} and {N(Large)} chat answers (`Send-LlmMessage -Cache -ThrottleLimit 8`, distinct prompts " +
        $"`prompt 0`, `prompt 1`, ...) and {N(Small)} and {N(Large)} embeddings (`Get-LlmEmbedding`, batches of 100, texts `text 0`, ...). " +
        $"Each cache has its own runspace whose ./config.ini sets `CACHE_DIR`, `ENDPOINT` (the server) and `WAITING_TIME=0`. " +
        $"Hits use `-CacheMode Replay`, which answers only from the cache; the server's request count is checked not to move, and " +
        $"every answer is checked to be the cached one for its input, in order. Each repetition is {Runs} runs; in a run every " +
        $"measurement runs once, the {N(Small)}- and {N(Large)}-entry variants back to back, taking turns at going first, a full GC " +
        $"before each. *Piped*: {N(Piped)} cached texts piped into one call, time / {N(Piped)}, one sample per run: entries 0 to 9 " +
        $"cycled, from both caches (only the cache's size differs: the size goal), and {N(Piped)} distinct entries of the " +
        $"{N(Large)}-entry cache, another slice each run (a larger working set); the cycled chat prompts also go in as objects " +
        $"with a property `N` through `-Template 'prompt {{{{N}}}}'` (a parameter set without `-Conversation`). *Single call*: `{ChatSingle}` (or " +
        $"`{EmbeddingSingle}`) as a script in the warmed runspace, end to end, {SingleCallsPerRun} calls per run, each a sample; this " +
        $"includes PowerShell's per-invocation cost. Floors on the same path: the script `{ScriptFloor}` (no command), `{CmdletFloor}` " +
        $"(an LlmTools cmdlet that resolves no settings) and `{SettingsFloor}` (the same, resolving the layered settings as " +
        $"Send-LlmMessage does). *Miss*: the same cmdlets with `-NoCache` against the loopback server ({N(ChatMisses)} chat prompts, " +
        $"{N(Piped)} embedding texts per run; an instant reply with no network in between, where a real API takes 0.3 to 30 s). " +
        $"*Exceptions* and *KB allocated* are per item or call over the timed part: first-chance exceptions anywhere in the process " +
        $"(thrown and caught) and `GC.GetTotalAllocatedBytes`.";

    public int Run(BenchOptions options, Report report)
    {
        var cleared = OverridingVariables.Where(v => Environment.GetEnvironmentVariable(v) is not null).ToList();
        var saved = cleared.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        cleared.ForEach(v => Environment.SetEnvironmentVariable(v, null));
        using var exceptions = _exceptions = new FirstChanceCounter();
        var server = LoopbackLlmServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            if (cleared.Count > 0)
            {
                report.Line($"- cleared for this scenario (they would override ./config.ini): {string.Join(", ", cleared)}");
                report.Line();
            }

            return Measure(options, report, server);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    private int Measure(BenchOptions options, Report report, LoopbackLlmServer server)
    {
        using var chatSmall = new CacheWorld(options.ModuleManifest, server, CacheKind.Chat, Small, options.KeepFiles);
        using var chatLarge = new CacheWorld(options.ModuleManifest, server, CacheKind.Chat, Large, options.KeepFiles);
        using var embSmall = new CacheWorld(options.ModuleManifest, server, CacheKind.Embedding, Small, options.KeepFiles);
        using var embLarge = new CacheWorld(options.ModuleManifest, server, CacheKind.Embedding, Large, options.KeepFiles);
        var fills = new[] { chatSmall, chatLarge, embSmall, embLarge }.Select(w =>
        {
            var fill = w.Fill();
            Console.Error.WriteLine($"  filled the {N(fill.Entries)}-entry {w.Kind} cache in {F(fill.Ms / 1000, "0.0")} s");
            Check(fill.Ok, $"filling the {N(w.Entries)}-entry {w.Kind} cache: {N(fill.Requests)} requests (expected {N(fill.ExpectedRequests)}), {N(fill.Files)} entry files");
            return fill;
        }).ToList();

        List<CacheMeasurement[]> groups =
        [
            [PipedHits(ChatPiped, chatSmall, distinct: false), PipedHits(ChatPiped, chatLarge, distinct: false), PipedHits(ChatPipedDistinct, chatLarge, distinct: true)],
            [TemplateHits(chatSmall), TemplateHits(chatLarge)],
            [SingleHits(ChatSingleName, chatSmall, ChatSingle), SingleHits(ChatSingleName, chatLarge, ChatSingle)],
            [Floor(chatSmall, ScriptFloor), Floor(chatSmall, CmdletFloor), Floor(chatSmall, SettingsFloor)],
            [ChatMiss(chatSmall, throttleLimit: 1), ChatMiss(chatSmall, throttleLimit: 8)],
            [PipedHits(EmbeddingPiped, embSmall, distinct: false), PipedHits(EmbeddingPiped, embLarge, distinct: false), PipedHits(EmbeddingPipedDistinct, embLarge, distinct: true)],
            [SingleHits(EmbeddingSingleName, embSmall, EmbeddingSingle), SingleHits(EmbeddingSingleName, embLarge, EmbeddingSingle)],
            [EmbeddingMiss(embSmall)],
        ];
        var cmdlets = groups.SelectMany(g => g).ToList();
        var probe = CacheEngineProbe.TryCreate(options.ModuleManifest, out var probeProblem);
        var engine = probe is null ? [] : EngineSteps(probe, chatSmall, chatLarge, embSmall, embLarge);
        groups.AddRange(engine.GroupBy(m => m.Name).Select(g => g.ToArray()));

        var timedRequests = server.Requests.Count;
        _exceptions.ResetKinds();
        var hitRequests = 0;
        for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
        {
            for (var run = 0; run < Runs; run++)
            {
                foreach (var group in groups)
                {
                    // why: the 10- and 10,000-entry variants run back to back, taking turns at going first
                    foreach (var m in (rep * Runs + run) % 2 == 0 ? group : group.Reverse())
                    {
                        var before = server.Requests.Count;
                        var sample = m.Run(rep, run);
                        hitRequests += m.IsHit ? server.Requests.Count - before : 0;
                        if (rep >= options.Warmup)
                        {
                            m.Record(sample);
                        }
                    }
                }
            }

            Console.Error.WriteLine($"  repetition {rep + 1}/{options.Warmup + options.Repetitions}{(rep < options.Warmup ? " (warmup)" : string.Empty)} done");
        }

        timedRequests = server.Requests.Count - timedRequests;
        Check(hitRequests == 0, $"the server saw {hitRequests} requests during replay hits (must be 0)");
        var verbose = (Chat: HitIsVerbose(chatSmall, ChatSingle), Embedding: HitIsVerbose(embSmall, EmbeddingSingle));

        var thrown = _exceptions.ByKind.ToList();
        var writer = new CacheHitReport(report, cmdlets, engine);
        writer.Fills(fills);
        writer.Results();
        writer.Verdicts(hitRequests, timedRequests, verbose, thrown);
        if (probe is not null)
        {
            writer.Engine(probe.Origin);
        }
        else
        {
            report.Line($"- engine breakdown skipped: {probeProblem}");
            report.Line();
        }

        foreach (var problem in _problems)
        {
            report.Line($"- **check failed**: {problem}");
        }

        if (_problems.Count > 0)
        {
            report.Line();
        }

        return _problems.Count == 0 ? 0 : 1;
    }

    private static List<CacheMeasurement> EngineSteps(CacheEngineProbe probe, CacheWorld chatSmall, CacheWorld chatLarge, CacheWorld embSmall, CacheWorld embLarge)
    {
        var chat = new[] { chatSmall, chatLarge }.Select(w => (World: w, Steps: probe.ForChat(w.Host.WorkingDirectory))).ToList();
        var embeddings = new[] { embSmall, embLarge }.Select(w => (World: w, Steps: probe.ForEmbedding(w.Host.WorkingDirectory))).ToList();
        var steps = new List<CacheMeasurement>();
        foreach (var step in Enum.GetValues<EngineStep>())
        {
            steps.AddRange(step is EngineStep.EmbeddingTokens or EngineStep.EmbeddingHit
                ? embeddings.Select(e => new CacheMeasurement(CacheHitReport.EngineName(step), e.World.Entries, "per item", isHit: true, (rep, run) => new([e.Steps.Time(step, HitTexts(e.World, rep, run, distinct: e.World.Entries > Piped))])))
                : chat.Select(c => new CacheMeasurement(CacheHitReport.EngineName(step), c.World.Entries, "per item", isHit: true, (rep, run) => new([c.Steps.Time(step, HitTexts(c.World, rep, run, distinct: c.World.Entries > Piped))]))));
        }

        steps.Add(new(SettingsStep, null, "per call", isHit: false, (_, _) => new([probe.TimeSettings(chatSmall.Host.WorkingDirectory, SingleCallsPerRun)])));
        return steps;
    }

    /// <summary>
    /// The texts of one piped run: entries 0 to 9 cycled (what a 10-entry cache can answer, so both sizes read the same
    /// 10 files and only the cache's size differs), or 1,000 distinct entries, another slice each run (every read
    /// touches a file not read for the last 9 runs: the realistic pattern, which adds the costs of a larger working set).
    /// </summary>
    private static string[] HitTexts(CacheWorld world, int rep, int run, bool distinct)
    {
        var stride = world.Entries / Piped;
        var slice = (rep * Runs + run) % Math.Max(1, stride);
        return Enumerable.Range(0, Piped).Select(i => CacheWorld.Text(world.Kind, distinct ? i * stride + slice : i % Small)).ToArray();
    }

    private CacheMeasurement PipedHits(string name, CacheWorld world, bool distinct) => new(name, world.Entries, "per item", isHit: true, (rep, run) =>
    {
        var texts = HitTexts(world, rep, run, distinct);
        var sample = PipedRun(world.Host, ps => (world.Kind == CacheKind.Chat
            ? ps.AddCommand("Send-LlmMessage").AddParameter("Cache")
            : ps.AddCommand("Get-LlmEmbedding")).AddParameter("CacheMode", "Replay"), texts, out var output);
        Check(world.AllCachedHits(output, texts), $"{name}, {N(world.Entries)} entries: not all {N(texts.Length)} answers were cached hits in order");
        return sample;
    });

    /// <summary>The same cached prompts, rendered from piped objects: the Template parameter set has no -Conversation to try first.</summary>
    private CacheMeasurement TemplateHits(CacheWorld world) => new(ChatTemplate, world.Entries, "per item", isHit: true, (rep, run) =>
    {
        var texts = HitTexts(world, rep, run, distinct: false);
        var input = texts.Select(t =>
        {
            var o = new PSObject();
            o.Properties.Add(new PSNoteProperty("N", t["prompt ".Length..]));
            return (object)o;
        }).ToArray();
        var sample = PipedRun(world.Host, ps => ps.AddCommand("Send-LlmMessage").AddParameter("Template", "prompt {{N}}").AddParameter("Cache").AddParameter("CacheMode", "Replay"), input, out var output);
        Check(world.AllCachedHits(output, texts), $"{ChatTemplate}, {N(world.Entries)} entries: not all {N(texts.Length)} answers were cached hits in order");
        return sample;
    });

    private CacheMeasurement SingleHits(string name, CacheWorld world, string script) => new(name, world.Entries, "per call", isHit: true, (_, _) =>
        SingleCalls(world.Host, script, output => Check(
            world.AllCachedHits(output, [CacheWorld.Text(world.Kind, 7)]), $"{name}, {N(world.Entries)} entries: no cached hit for entry 7")));

    private CacheMeasurement Floor(CacheWorld world, string script) => new(CacheHitReport.FloorName(script), null, "per call", isHit: false, (_, _) =>
        SingleCalls(world.Host, script, output => Check(output.Count == 1, $"`{script}`: expected one output")));

    private CacheMeasurement ChatMiss(CacheWorld world, int throttleLimit) => new(ChatMissName + throttleLimit, null, "per item", isHit: false, (rep, run) =>
    {
        var texts = Enumerable.Range(0, ChatMisses).Select(i => $"miss {rep} {run} {i}").ToArray();
        var before = world.ServerRequests;
        var sample = PipedRun(world.Host, ps => ps.AddCommand("Send-LlmMessage").AddParameter("NoCache").AddParameter("ApiKey", "x").AddParameter("ThrottleLimit", throttleLimit), texts, out var output);
        Check(output.Count == texts.Length && world.ServerRequests - before == texts.Length && output.All(o => !(bool)o.Properties["Cached"].Value),
            $"chat miss: expected {texts.Length} answers from {texts.Length} requests");
        return sample;
    });

    private CacheMeasurement EmbeddingMiss(CacheWorld world) => new(EmbeddingMissName, null, "per item", isHit: false, (rep, run) =>
    {
        var texts = Enumerable.Range(0, Piped).Select(i => $"miss {rep} {run} {i}").ToArray();
        var before = world.ServerRequests;
        var sample = PipedRun(world.Host, ps => ps.AddCommand("Get-LlmEmbedding").AddParameter("NoCache").AddParameter("ApiKey", "x").AddParameter("BatchSize", 100), texts, out var output);
        Check(output.Count == texts.Length && world.ServerRequests - before == Piped / 100 && output.All(o => !(bool)o.Properties["Cached"].Value),
            $"embedding miss: expected {texts.Length} vectors from {Piped / 100} requests");
        return sample;
    });

    /// <summary>Pipes <paramref name="input"/> into one call; the sample is per item.</summary>
    private CacheSample PipedRun(ModuleHost host, Action<PowerShell> build, object[] input, out Collection<PSObject> output)
    {
        Collection<PSObject>? result = null;
        var (ms, exceptions, bytes) = Counted(() => result = host.Invoke(build, input));
        output = result!;
        return new([ms / input.Length], (double)exceptions / input.Length, (double)bytes / input.Length);
    }

    /// <summary>Runs <paramref name="script"/> <see cref="SingleCallsPerRun"/> times, each call a sample; outputs are checked afterwards, untimed.</summary>
    private CacheSample SingleCalls(ModuleHost host, string script, Action<IReadOnlyList<PSObject>> check)
    {
        var samples = new double[SingleCallsPerRun];
        var outputs = new Collection<PSObject>[SingleCallsPerRun];
        var (_, exceptions, bytes) = Counted(() =>
        {
            for (var i = 0; i < samples.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                outputs[i] = host.Invoke(ps => ps.AddScript(script));
                samples[i] = sw.Elapsed.TotalMilliseconds;
            }
        });
        Array.ForEach(outputs, check);
        return new(samples, (double)exceptions / samples.Length, (double)bytes / samples.Length);
    }

    private (double Ms, long Exceptions, long Bytes) Counted(Action body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var exceptions = _exceptions.Count;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        body();
        var ms = sw.Elapsed.TotalMilliseconds;
        return (ms, _exceptions.Count - exceptions, GC.GetTotalAllocatedBytes(precise: true) - bytes);
    }

    /// <summary>Whether the engine's "Cache hit ..." line reaches the verbose stream of <c><paramref name="script"/> -Verbose</c>.</summary>
    private static bool HitIsVerbose(CacheWorld world, string script)
    {
        using var ps = PowerShell.Create(world.Host.Runspace);
        ps.AddScript(script + " -Verbose").Invoke();
        return ps.Streams.Verbose.Any(v => v.Message.StartsWith("Cache hit", StringComparison.Ordinal));
    }

    private void Check(bool ok, string problem)
    {
        if (!ok && !_problems.Contains(problem))
        {
            _problems.Add(problem);
        }
    }
}

using static LlmTools.Bench.Report;
using static LlmTools.Bench.Scenarios.CacheHitScenario;

namespace LlmTools.Bench.Scenarios;

/// <summary>Tables, verdicts and the where-the-time-goes lines of the cache scenario.</summary>
internal sealed class CacheHitReport(Report report, List<CacheMeasurement> cmdlets, List<CacheMeasurement> engine)
{
    public static string FloorName(string script) => $"floor: `{script}`, single call";

    public static string EngineName(EngineStep step) => step switch
    {
        EngineStep.Key => "chat key: `CacheKeys.Compute(new ChatCacheKey(...))` (canonical JSON + SHA-256)",
        EngineStep.Read => "file read: `CacheFiles.ReadAll(path)` (open, read, close)",
        EngineStep.ReadDecode => "read + decode: `FileResponseCache.TryRead<ChatResult>(key)`",
        EngineStep.ChatHit => "chat hit: `ChatService.CompleteAsync` in replay mode (key + read + decode)",
        EngineStep.EmbeddingTokens => "token count: `TokenCounter.Count(text)` (cl100k_base; every text's length is checked)",
        _ => "embedding hit: `EmbeddingService.Prepare(text)` in replay mode (token count + key + read + decode)",
    };

    public void Fills(List<FillResult> fills) => report.Table(
        ["cache (filled through the loopback server)", "entries", "requests", "entry files", "bytes on disk", "fill s", "ms per entry"],
        fills.Select(f => (IReadOnlyList<string>)
        [
            f.Kind == CacheKind.Chat ? "chat: `Send-LlmMessage -Cache -ThrottleLimit 8`" : "embeddings: `Get-LlmEmbedding -BatchSize 100`",
            N(f.Entries), $"{N(f.Requests)}{(f.Requests == f.ExpectedRequests ? string.Empty : $" (expected {N(f.ExpectedRequests)})")}",
            N(f.Files), N(f.Bytes), F(f.Ms / 1000, "0.0"), F(f.Ms / f.Entries, "0.00"),
        ]));

    public void Results() => report.Table(
        ["measurement", "cache entries", "unit", "samples", "median ms", "min ms", "max ms", "exceptions (median)", "KB allocated (median)"],
        cmdlets.Select(m =>
        {
            var s = m.Stats;
            return (IReadOnlyList<string>)
            [
                m.Name, m.Entries is { } e ? N(e) : "", m.Unit, N(s.Count), F(s.Median, "0.000"), F(s.Min, "0.000"), F(s.Max, "0.000"),
                m.Exceptions.Count > 0 ? F(Stats.Of(m.Exceptions).Median, "0.0") : "",
                m.Bytes.Count > 0 ? F(Stats.Of(m.Bytes).Median / 1024, "0.0") : "",
            ];
        }));

    public void Verdicts(int hitRequests, int timedRequests, (bool Chat, bool Embedding) verbose, List<(string Kind, long Count)> thrown)
    {
        foreach (var (kind, piped, distinct, single) in new[]
        {
            ("chat", ChatPiped, ChatPipedDistinct, ChatSingleName),
            ("embedding", EmbeddingPiped, EmbeddingPipedDistinct, EmbeddingSingleName),
        })
        {
            var small = Of(cmdlets, piped, Small);
            var large = Of(cmdlets, piped, Large);
            var spread = Of(cmdlets, distinct, Large);
            var worst = new[] { small.Median, large.Median, spread.Median }.Max();
            var ratio = large.Median / small.Median;
            var spreadRatio = spread.Median / small.Median;
            var singleSmall = Of(cmdlets, single, Small);
            var singleLarge = Of(cmdlets, single, Large);
            report.Line($"- {kind} hit, piped, per item (median): {F(small.Median, "0.000")} ms with {N(Small)} entries, {F(large.Median, "0.000")} ms with {N(Large)} " +
                        $"(same 10 entries), {F(spread.Median, "0.000")} ms with {N(Large)} (1,000 distinct entries); goal <= {F(HitGoalMs, "0")} ms: {(worst <= HitGoalMs ? "**met**" : "**not met**")}");
            report.Line($"- {kind} hit, {N(Large)} / {N(Small)} entries: {F(ratio, "0.00")}x piped, same 10 entries (by min {F(large.Min / small.Min, "0.00")}x); " +
                        $"{F(singleLarge.Median / singleSmall.Median, "0.00")}x single call; goal <= {F(RatioGoal, "0.0")}x (piped, same entries, median): " +
                        $"{(ratio <= RatioGoal ? "**met**" : "**not met**")}. With 1,000 distinct entries per run: {F(spreadRatio, "0.00")}x (by min {F(spread.Min / small.Min, "0.00")}x); " +
                        "a difference there comes from touching more files and texts (a larger working set), not from the cache's size (see the engine steps below)");
            report.AddSummary(new($"{kind} hit, piped, per item: {N(Small)} / {N(Large)} / {N(Large)} distinct entries (median)",
                $"{F(small.Median, "0.000")} / {F(large.Median, "0.000")} / {F(spread.Median, "0.000")} ms", $"<= {F(HitGoalMs, "0")} ms", worst <= HitGoalMs));
            report.AddSummary(new($"{kind} hit, ratio {N(Large)} / {N(Small)} entries, same 10 entries piped (median)", $"{F(ratio, "0.00")}x", $"<= {F(RatioGoal, "0.0")}x", ratio <= RatioGoal));
            report.AddSummary(new($"{kind} hit, ratio {N(Large)} (1,000 distinct entries) / {N(Small)} entries, piped (median)", $"{F(spreadRatio, "0.00")}x"));
            report.AddSummary(new($"{kind} hit, single call end to end: {N(Small)} / {N(Large)} entries (median)", $"{F(singleSmall.Median, "0.000")} / {F(singleLarge.Median, "0.000")} ms"));
        }

        var chatHit = Of(cmdlets, ChatPiped, Small).Median;
        var chatMiss = Of(cmdlets, ChatMissName + 1, null).Median;
        var chatMiss8 = Of(cmdlets, ChatMissName + 8, null).Median;
        var embHit = Of(cmdlets, EmbeddingPiped, Small).Median;
        var embMiss = Of(cmdlets, EmbeddingMissName, null).Median;
        report.Line($"- chat miss vs hit, per item: a miss against the loopback server (an instant reply, no network) takes {F(chatMiss, "0.000")} ms " +
                    $"with -ThrottleLimit 1 ({F(chatMiss8, "0.000")} ms with 8), a hit {F(chatHit, "0.000")} ms: {F(chatMiss / chatHit, "0.0")}x less");
        report.Line($"- embedding miss vs hit, per text: {F(embMiss, "0.000")} ms for a miss (100 texts share one instant request; nothing is read or written) " +
                    $"vs {F(embHit, "0.000")} ms for a hit (one file read per text), {F(embHit / embMiss, "0.0")}x the miss against this server; " +
                    "against a real API a batch takes 100 ms or more, 1 ms or more per text");
        report.AddSummary(new("chat miss, loopback, per item, -ThrottleLimit 1 / 8 (median)", $"{F(chatMiss, "0.000")} / {F(chatMiss8, "0.000")} ms"));
        report.AddSummary(new("embedding miss, loopback, per text (median)", $"{F(embMiss, "0.000")} ms"));

        double Exceptions(string name, int? entries) => Stats.Of(cmdlets.Single(m => m.Name == name && m.Entries == entries).Exceptions).Median;
        report.Line($"- exceptions thrown and caught per item (medians): {F(Exceptions(ChatPiped, Small), "0.0")} for piped prompts, " +
                    $"{F(Exceptions(ChatTemplate, Small), "0.0")} for the same hits through -Template, {F(Exceptions(EmbeddingPiped, Small), "0.0")} for " +
                    $"Get-LlmEmbedding; per item {F(chatHit * 1000, "0.0")} µs for piped prompts vs {F(Of(cmdlets, ChatTemplate, Small).Median * 1000, "0.0")} µs " +
                    $"through -Template ({N(Large)} entries: {F(Of(cmdlets, ChatPiped, Large).Median * 1000, "0.0")} vs {F(Of(cmdlets, ChatTemplate, Large).Median * 1000, "0.0")} µs), " +
                    "though -Template also renders the prompt from each object's property");
        report.Line($"- exceptions during the measurements, by type: {(thrown.Count == 0 ? "none" : string.Join(", ", thrown.Select(t => $"{t.Kind} {N(t.Count)}")))}");

        var script = Of(cmdlets, FloorName(ScriptFloor), null).Median;
        var cmdlet = Of(cmdlets, FloorName(CmdletFloor), null).Median;
        var settings = Of(cmdlets, FloorName(SettingsFloor), null).Median;
        var chatSingle = Of(cmdlets, ChatSingleName, Small).Median;
        report.Line($"- single call, where the time goes (medians): a script with no command {F(script, "0.000")} ms; an LlmTools cmdlet that resolves no settings " +
                    $"(`{CmdletFloor}`) {F(cmdlet, "0.000")} ms; the same resolving the layered settings (`{SettingsFloor}`) {F(settings, "0.000")} ms, " +
                    $"so settings resolution costs about {F(settings - cmdlet, "0.000")} ms per invocation; `{ChatSingle}` {F(chatSingle, "0.000")} ms, " +
                    $"{F(chatSingle - settings, "+0.000;-0.000")} ms against that last floor (the cache, one hit and the LlmResponse)");
        report.Line($"- `-Verbose` on a hit writes the engine's \"Cache hit for ...\" line: {(verbose.Chat ? "yes" : "**no**")} (Send-LlmMessage), " +
                    $"{(verbose.Embedding ? "yes" : "**no**")} (Get-LlmEmbedding)");
        report.Line($"- requests the server saw during replay hits: {N(hitRequests)} (must be 0); all requests during the measurements (misses): {N(timedRequests)}");
        report.Line();
        report.AddSummary(new("server requests during replay hits", N(hitRequests), "0", hitRequests == 0));
    }

    public void Engine(string origin)
    {
        report.Line($"Engine share of a hit: each step timed alone over {N(Piped)} texts per run (the {N(Small)}-entry cache: its entries cycled; " +
                    $"the {N(Large)}-entry cache: {N(Piped)} distinct entries), on {origin} (reached by reflection, which adds well under a microsecond per call).");
        report.Line();
        report.Table(
            ["engine step", "cache entries", "unit", "samples", "median µs", "min µs", "max µs"],
            engine.Select(m =>
            {
                var s = m.Stats;
                return (IReadOnlyList<string>)[m.Name, m.Entries is { } e ? N(e) : "", m.Unit, N(s.Count), F(s.Median * 1000, "0.0"), F(s.Min * 1000, "0.0"), F(s.Max * 1000, "0.0")];
            }));

        double Us(IEnumerable<CacheMeasurement> from, string name, int? entries) => Of(from, name, entries).Median * 1000;
        foreach (var entries in new[] { Small, Large })
        {
            var cmdlet = Us(cmdlets, entries == Small ? ChatPiped : ChatPipedDistinct, entries);
            var hit = Us(engine, EngineName(EngineStep.ChatHit), entries);
            var read = Us(engine, EngineName(EngineStep.Read), entries);
            var texts = entries == Small ? "entries cycled" : "distinct entries";
            report.Line($"- chat hit per item, {N(entries)} entries, {texts} (medians): Send-LlmMessage {F(cmdlet, "0.0")} µs = engine {F(hit, "0.0")} µs " +
                        $"(key {F(Us(engine, EngineName(EngineStep.Key), entries), "0.0")}, file read {F(read, "0.0")}, " +
                        $"JSON decode and checks {F(Us(engine, EngineName(EngineStep.ReadDecode), entries) - read, "0.0")}) + {F(cmdlet - hit, "0.0")} µs in " +
                        "the cmdlet and PowerShell (parameter binding, the request, the ordered runner's task, the LlmResponse, WriteObject)" +
                        (entries == Small ? $"; through -Template {F(Us(cmdlets, ChatTemplate, entries) - hit, "0.0")} µs" : string.Empty));
            var embCmdlet = Us(cmdlets, entries == Small ? EmbeddingPiped : EmbeddingPipedDistinct, entries);
            var embHit = Us(engine, EngineName(EngineStep.EmbeddingHit), entries);
            report.Line($"- embedding hit per item, {N(entries)} entries, {texts} (medians): Get-LlmEmbedding {F(embCmdlet, "0.0")} µs = engine {F(embHit, "0.0")} µs " +
                        $"(of which token count {F(Us(engine, EngineName(EngineStep.EmbeddingTokens), entries), "0.0")}) + {F(embCmdlet - embHit, "0.0")} µs " +
                        "in the cmdlet and PowerShell (parameter binding, the LlmEmbedding, WriteObject)");
        }

        var floor = Us(cmdlets, FloorName(SettingsFloor), null) - Us(cmdlets, FloorName(CmdletFloor), null);
        report.Line($"- settings per invocation: `SettingsLoader.Load` alone {F(Us(engine, SettingsStep, null), "0.0")} µs; through a cmdlet " +
                    $"(`{SettingsFloor}` minus `{CmdletFloor}`) {F(floor, "0.0")} µs; the other {F(floor - Us(engine, SettingsStep, null), "0.0")} µs are spent " +
                    "around it in the cmdlet (module folder, current location, the verbose line per settings source) and are not broken down further");
        report.Line();
    }

    private static Stats Of(IEnumerable<CacheMeasurement> from, string name, int? entries) => from.Single(m => m.Name == name && m.Entries == entries).Stats;
}

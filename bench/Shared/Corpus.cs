using System.Globalization;
using System.Text;

namespace LlmTools.Bench;

/// <summary>
/// A deterministic mixed text for token counting: English prose (about half), code (C#, Python, JSON, PowerShell,
/// SQL), logs, markdown and chat with emoji, accented European languages and CJK. Same seed and size, same bytes
/// everywhere (own SplitMix64 PRNG, invariant culture).
/// </summary>
internal static class Corpus
{
    private static readonly string[] Subjects = ["the team", "our customer", "the new release", "the committee", "a small startup", "the city council", "most engineers", "the library", "the museum", "the hospital", "the support desk", "the orchestra"];
    private static readonly string[] Verbs = ["reviewed", "announced", "improved", "rejected", "measured", "postponed", "published", "simplified", "rebuilt", "documented", "shipped", "translated", "approved"];
    private static readonly string[] Objects = ["the quarterly report", "a detailed proposal", "the latency budget", "its pricing model", "an unexpected result", "the database schema", "the harvest", "several open questions", "the caching layer", "the test suite", "the rate limits"];
    private static readonly string[] Tails = ["because the previous version was too slow", "although nobody had asked for it", "after weeks of careful testing", "which surprised almost everyone", "as the deadline approached", "before the holidays began", "late on Friday", "in record time"];
    private static readonly string[] Words = ["throughput", "weather", "inventory", "feedback", "garden", "contract", "schedule", "kitchen", "traffic", "network", "harbour", "algorithm", "river", "budget", "protocol", "tokenizer", "pipeline", "forest"];
    private static readonly string[] European =
    [
        "Le comité a approuvé la proposition après une longue réunion à Genève.", "Die Straßenbahn fährt heute wegen Bauarbeiten nur bis zur Brücke.",
        "La política de privacidad se actualizó el miércoles pasado.", "Il caffè è già pronto, ma la riunione è stata rimandata a giovedì.",
        "A equipa técnica concluiu a migração sem interrupções.", "Zażółć gęślą jaźń, powiedział nauczyciel z uśmiechem.", "Årets budsjett blir lagt fram før jul.",
    ];
    private static readonly string[] Cjk = ["東京の天気は明日から回復する見込みです。", "新しいバージョンでは処理速度が大幅に向上しました。", "我们明天上午十点在会议室讨论这个问题。", "这个算法的时间复杂度是线性的。", "오늘 회의는 오후 세 시에 시작합니다.", "데이터베이스 백업이 완료되었습니다."];
    private static readonly string[] Emoji = ["🚀", "✅", "🙂", "🔥", "📦", "⚠️", "👍🏽", "🎉", "🤔"];
    private static readonly string[] Levels = ["INFO", "WARN", "DEBUG", "ERROR"];

    /// <summary>At least <paramref name="minBytes"/> bytes of UTF-8 text, in whole blocks.</summary>
    public static string Text(long minBytes, ulong seed = 0x11_7001_5BE7C4)
    {
        var rng = new Rng(seed);
        var sb = new StringBuilder();
        long bytes = 0;
        while (bytes < minBytes)
        {
            var start = sb.Length;
            Block(sb, rng);
            sb.Append('\n');
            bytes += Encoding.UTF8.GetByteCount(sb.ToString(start, sb.Length - start));
        }

        return sb.ToString();
    }

    /// <summary>Writes <see cref="Text"/> to <paramref name="path"/> as UTF-8 without BOM; returns (bytes, chars).</summary>
    public static (long Bytes, int Chars) WriteFile(string path, long minBytes)
    {
        var text = Text(minBytes);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        File.WriteAllBytes(path, bytes);
        return (bytes.Length, text.Length);
    }

    private static void Block(StringBuilder sb, Rng r)
    {
        var i = CultureInfo.InvariantCulture;
        var roll = r.Next(100);
        switch (roll)
        {
            case < 48: // prose paragraph
                for (var n = 3 + r.Next(5); n > 0; n--)
                {
                    var s = $"{r.Pick(Subjects)} {r.Pick(Verbs)} {r.Pick(Objects)} {r.Pick(Tails)}, and the {r.Pick(Words)} was {r.Next(2, 99)}% {r.Pick(["better", "worse", "cheaper", "quieter"])}. ";
                    sb.Append(char.ToUpperInvariant(s[0])).Append(s, 1, s.Length - 1);
                }

                break;
            case < 56: // markdown
                sb.Append("## ").Append(r.Pick(Words)).Append(" notes ").Append(r.Pick(Emoji)).Append('\n');
                for (var n = 2 + r.Next(4); n > 0; n--)
                {
                    sb.Append("- **").Append(r.Pick(Words)).Append("**: ").Append(r.Pick(Objects)).Append(" (`").Append(r.Pick(Words)).Append("_id`) ").Append(r.Pick(Emoji)).Append('\n');
                }

                sb.Append("| key | value |\n| --- | ---: |\n| ").Append(r.Pick(Words)).Append(" | ").Append(r.Next(10_000).ToString(i)).Append(" |\n");
                break;
            case < 62: // chat
                sb.Append("user: can you check ").Append(r.Pick(Objects)).Append("? ").Append(r.Pick(Emoji)).Append("\nassistant: Sure! ")
                  .Append(r.Pick(Subjects)).Append(' ').Append(r.Pick(Verbs)).Append(" it ").Append(r.Pick(Tails)).Append(". ").Append(r.Pick(Emoji)).Append('\n');
                break;
            case < 69: // C#
                var type = char.ToUpperInvariant(r.Pick(Words)[0]) + r.Pick(Words)[1..];
                sb.Append($"public sealed class {type}Service\n{{\n    private readonly Dictionary<string, int> _cache = new();\n\n    public async Task<int> GetAsync(string key, CancellationToken ct)\n    {{\n        if (_cache.TryGetValue(key, out var value)) return value;\n        await Task.Delay({r.Next(1, 500).ToString(i)}, ct);\n        return _cache[key] = key.Length * {r.Next(2, 9).ToString(i)};\n    }}\n}}\n");
                break;
            case < 74: // Python
                sb.Append($"def load_{r.Pick(Words)}(path: str, limit: int = {r.Next(10, 1000).ToString(i)}) -> list[dict]:\n    with open(path, encoding=\"utf-8\") as f:\n        rows = [json.loads(line) for line in f if line.strip()]\n    return [r for r in rows if r.get(\"{r.Pick(Words)}\") is not None][:limit]\n");
                break;
            case < 78: // JSON
                sb.Append($"{{\"id\": {r.Next(1_000_000).ToString(i)}, \"name\": \"{r.Pick(Words)}\", \"score\": {(r.Next(10_000) / 100.0).ToString(i)}, \"tags\": [\"{r.Pick(Words)}\", \"{r.Pick(Words)}\"], \"active\": {(r.Next(2) == 0 ? "true" : "false")}}}\n");
                break;
            case < 81: // PowerShell
                sb.Append($"Get-ChildItem -Path ./{r.Pick(Words)} -Recurse -Filter *.json | Where-Object {{ $_.Length -gt {r.Next(100, 9999).ToString(i)} }} | ForEach-Object {{ Measure-LlmTokens -LiteralPath $_.FullName }}\n");
                break;
            case < 83: // SQL
                sb.Append($"SELECT c.id, c.name, SUM(o.total) AS revenue FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.created_at >= '2025-0{r.Next(1, 9).ToString(i)}-01' GROUP BY c.id, c.name ORDER BY revenue DESC LIMIT {r.Next(5, 50).ToString(i)};\n");
                break;
            case < 86: // logs
                for (var n = 3 + r.Next(6); n > 0; n--)
                {
                    sb.Append($"2025-11-{r.Next(10, 29).ToString(i)}T{r.Next(10, 23).ToString(i)}:{r.Next(10, 59).ToString(i)}:{r.Next(10, 59).ToString(i)}.{r.Next(100, 999).ToString(i)}Z {r.Pick(Levels)} [{r.Pick(Words)}] request {r.Next(100_000, 999_999).ToString("x", i)} took {r.Next(1, 3000).ToString(i)} ms status={r.Pick(["200", "404", "429", "500"])}\n");
                }

                break;
            case < 93:
                for (var n = 2 + r.Next(4); n > 0; n--)
                {
                    sb.Append(r.Pick(European)).Append(' ');
                }

                break;
            default:
                for (var n = 2 + r.Next(4); n > 0; n--)
                {
                    sb.Append(r.Pick(Cjk));
                }

                break;
        }
    }

    private sealed class Rng(ulong state)
    {
        public int Next(int max) => (int)(NextUInt64() % (ulong)max);

        public int Next(int min, int max) => min + Next(max - min);

        public T Pick<T>(T[] items) => items[Next(items.Length)];

        private ulong NextUInt64()
        {
            var z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}

using System.Globalization;
using System.Text;

namespace LlmTools.Bench.Corpus;

/// <summary>
/// Writes a deterministic, realistic mixed text: English prose (about half), code and logs (C#, Python, JSON,
/// PowerShell, SQL), markdown and chat with emoji, accented European languages and CJK. The same seed and size
/// always give the same bytes, on every machine and runtime (own PRNG, invariant culture).
/// </summary>
internal sealed class CorpusGenerator
{
    private readonly Rng _rng;
    private readonly StringBuilder _sb = new();

    public CorpusGenerator(ulong seed = 0x11_7001_5BE7C4) => _rng = new Rng(seed);

    /// <summary>Writes at least <paramref name="minBytes"/> bytes of UTF-8 (no BOM) to <paramref name="path"/>.</summary>
    public CorpusInfo WriteFile(string path, long minBytes)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        long bytes = 0, chars = 0;
        using var writer = new StreamWriter(path, append: false, utf8, bufferSize: 1 << 16);
        while (bytes < minBytes)
        {
            _sb.Clear();
            NextBlock();
            _sb.Append('\n');
            var block = _sb.ToString();
            writer.Write(block);
            bytes += utf8.GetByteCount(block);
            chars += block.Length;
        }

        return new CorpusInfo(path, bytes, chars);
    }

    private void NextBlock()
    {
        var roll = _rng.Next(100);
        switch (roll)
        {
            case < 48: Prose(); break;
            case < 56: Markdown(); break;
            case < 62: Chat(); break;
            case < 69: CSharp(); break;
            case < 74: Python(); break;
            case < 78: Json(); break;
            case < 81: PowerShell(); break;
            case < 83: Sql(); break;
            case < 86: Logs(); break;
            case < 93: European(); break;
            default: Cjk(); break;
        }
    }

    // ---------- English ----------

    private static readonly string[] Subjects =
    [
        "the team", "our customer", "the new release", "this approach", "the committee", "a small startup", "the city council",
        "most engineers", "the research group", "the old bridge", "every student", "the library", "the model", "the museum",
        "the airline", "a local farmer", "the hospital", "the service", "their manager", "the orchestra", "the editor",
        "the migration", "the dashboard", "the weather station", "my neighbour", "the support desk", "the regional office",
    ];

    private static readonly string[] Verbs =
    [
        "reviewed", "announced", "improved", "rejected", "described", "measured", "postponed", "published", "questioned",
        "simplified", "rebuilt", "funded", "tested", "explained", "ignored", "replaced", "documented", "celebrated",
        "investigated", "shipped", "translated", "scheduled", "approved", "summarised", "negotiated", "delivered",
    ];

    private static readonly string[] Objects =
    [
        "the quarterly report", "a detailed proposal", "the latency budget", "its pricing model", "the annual festival",
        "an unexpected result", "the onboarding guide", "the database schema", "a cautious forecast", "the harvest",
        "the evacuation plan", "several open questions", "the final draft", "the caching layer", "a long-awaited update",
        "the survey results", "the travel policy", "the legacy system", "a public apology", "the sound design",
        "the error budget", "the supply contract", "the exhibition catalogue", "the test suite", "the rate limits",
    ];

    private static readonly string[] Adverbs =
    [
        "quietly", "quickly", "carefully", "once again", "without much fuss", "after a long debate", "in record time",
        "somewhat reluctantly", "with great enthusiasm", "for the first time", "late on Friday", "by the end of March",
    ];

    private static readonly string[] Clauses =
    [
        "because the previous version was too slow", "although nobody had asked for it", "while the budget was still open",
        "so that new users could find their way", "after weeks of careful testing", "even though the numbers looked fine",
        "which surprised almost everyone", "as the deadline approached", "before the holidays began",
        "since the old supplier went out of business", "when the rain finally stopped", "unless the board objects",
    ];

    private static readonly string[] Connectors =
    [
        "However,", "Meanwhile,", "In practice,", "As a result,", "On the other hand,", "For example,", "Still,",
        "In the end,", "At first,", "Surprisingly,", "To be fair,", "Later that week,",
    ];

    private static readonly string[] Nouns =
    [
        "throughput", "weather", "history", "inventory", "feedback", "architecture", "garden", "contract", "schedule",
        "recipe", "vocabulary", "kitchen", "traffic", "network", "harbour", "painting", "algorithm", "river", "budget",
        "interview", "platform", "village", "protocol", "symphony", "tokenizer", "warehouse", "pipeline", "forest",
    ];

    private static readonly string[] Adjectives =
    [
        "reliable", "noisy", "ambitious", "fragile", "elegant", "expensive", "quiet", "modern", "unfinished", "robust",
        "crowded", "generous", "obscure", "practical", "seasonal", "ancient", "lightweight", "remarkable", "tedious",
    ];

    private static readonly string[] Names =
    [
        "Alice", "Bob", "Priya", "Mateo", "Chen", "Fatima", "Olu", "Sven", "Yuki", "Grace", "Dmitri", "Amara", "Liam", "Noor",
    ];

    private void Prose()
    {
        var sentences = 3 + _rng.Next(6);
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                _sb.Append(' ');
            }

            Sentence();
        }

        _sb.Append('\n');
    }

    private void Sentence()
    {
        var start = _sb.Length;
        switch (_rng.Next(7))
        {
            case 0:
                _sb.Append(Pick(Subjects)).Append(' ').Append(Pick(Verbs)).Append(' ').Append(Pick(Objects)).Append(' ').Append(Pick(Adverbs)).Append('.');
                break;
            case 1:
                _sb.Append(Pick(Connectors)).Append(' ').Append(Pick(Subjects)).Append(' ').Append(Pick(Verbs)).Append(' ').Append(Pick(Objects))
                    .Append(", ").Append(Pick(Clauses)).Append('.');
                break;
            case 2:
                _sb.Append(Pick(Names)).Append(" said that the ").Append(Pick(Adjectives)).Append(' ').Append(Pick(Nouns)).Append(" was \"")
                    .Append(Pick(Adjectives)).Append(", but ").Append(Pick(Adjectives)).Append("\".");
                break;
            case 3:
                _sb.Append("In ").Append(1990 + _rng.Next(36)).Append(", ").Append(Pick(Subjects)).Append(' ').Append(Pick(Verbs)).Append(" about ")
                    .Append(_rng.Next(2, 9_999).ToString("N0", CultureInfo.InvariantCulture)).Append(' ').Append(Pick(Nouns)).Append(" items (roughly ")
                    .Append(_rng.Next(1, 100)).Append("% of the total).");
                break;
            case 4:
                _sb.Append("Why would ").Append(Pick(Subjects)).Append(" choose a ").Append(Pick(Adjectives)).Append(' ').Append(Pick(Nouns)).Append(" over a ")
                    .Append(Pick(Adjectives)).Append(" one?");
                break;
            case 5:
                _sb.Append("The ").Append(Pick(Nouns)).Append(", ").Append(Pick(Clauses)).Append(", became ").Append(Pick(Adjectives)).Append(" and ")
                    .Append(Pick(Adjectives)).Append(';').Append(' ').Append(Pick(Subjects)).Append(' ').Append(Pick(Verbs)).Append(" it ").Append(Pick(Adverbs)).Append('.');
                break;
            default:
                _sb.Append(Pick(Names)).Append(" and ").Append(Pick(Names)).Append(' ').Append(Pick(Verbs)).Append(' ').Append(Pick(Objects)).Append(" on ")
                    .Append(new DateTime(2020, 1, 1).AddDays(_rng.Next(2200)).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)).Append('.');
                break;
        }

        _sb[start] = char.ToUpperInvariant(_sb[start]);
        if (_rng.Next(40) == 0)
        {
            _sb.Append(' ').Append(Pick(Emoji));
        }
    }

    // ---------- markdown and chat ----------

    private static readonly string[] Emoji = ["🙂", "🚀", "✅", "❌", "🔥", "🎉", "👍", "🤔", "📈", "⚠️", "💡", "🌧️", "☕", "🐛", "👩‍💻", "🇫🇷", "❤️", "😅"];

    private void Markdown()
    {
        _sb.Append("## ").Append(Cap(Pick(Adjectives))).Append(' ').Append(Pick(Nouns)).Append(" notes\n\n");
        var items = 3 + _rng.Next(5);
        for (var i = 0; i < items; i++)
        {
            _sb.Append(_rng.Next(3) == 0 ? $"{i + 1}. " : "- ");
            if (_rng.Next(4) == 0)
            {
                _sb.Append(Pick(Emoji)).Append(' ');
            }

            _sb.Append("**").Append(Cap(Pick(Nouns))).Append("**: ");
            Sentence();
            if (_rng.Next(3) == 0)
            {
                _sb.Append(" See `").Append(Identifier()).Append("()` and [the docs](https://example.com/")
                    .Append(Pick(Nouns)).Append('/').Append(_rng.Next(100, 999)).Append(").");
            }

            _sb.Append('\n');
        }

        if (_rng.Next(3) == 0)
        {
            _sb.Append("\n| name | value | change |\n| --- | ---: | ---: |\n");
            for (var i = 0; i < 4; i++)
            {
                _sb.Append("| ").Append(Pick(Nouns)).Append(" | ").Append(_rng.Next(10_000)).Append(" | ")
                    .Append(_rng.Next(2) == 0 ? "+" : "−").Append(_rng.Next(100) / 10.0).Append("% |\n");
            }
        }
    }

    private static readonly string[] ChatLines =
    [
        "can you summarise this for me?", "thanks, that worked!", "hmm, the build is red again", "lunch at 12:30?",
        "I pushed a fix, please review", "is the meeting still on?", "great job everyone", "who owns the on-call rotation this week?",
        "the numbers look off by ~3%", "merci beaucoup !", "ok, I'll take a look after standup", "no worries, ship it",
    ];

    private void Chat()
    {
        var lines = 4 + _rng.Next(6);
        for (var i = 0; i < lines; i++)
        {
            _sb.Append('[').Append(_rng.Next(8, 19).ToString("00", CultureInfo.InvariantCulture)).Append(':')
                .Append(_rng.Next(60).ToString("00", CultureInfo.InvariantCulture)).Append("] ").Append(Pick(Names)).Append(": ");
            if (_rng.Next(2) == 0)
            {
                _sb.Append(Pick(ChatLines));
            }
            else
            {
                Sentence();
            }

            var emoji = _rng.Next(3);
            for (var e = 0; e < emoji; e++)
            {
                _sb.Append(' ').Append(Pick(Emoji));
            }

            _sb.Append('\n');
        }
    }

    // ---------- code ----------

    private static readonly string[] IdentParts =
    [
        "user", "order", "token", "cache", "request", "response", "retry", "count", "buffer", "item", "price", "session",
        "config", "path", "result", "index", "batch", "queue", "limit", "score", "payload", "header", "client", "value",
    ];

    private static readonly string[] Types = ["int", "string", "bool", "double", "long", "List<string>", "TimeSpan", "Guid", "decimal"];

    private string Identifier(bool pascal = false)
    {
        var a = Pick(IdentParts);
        var b = Pick(IdentParts);
        var name = a + char.ToUpperInvariant(b[0]) + b[1..];
        return pascal ? Cap(name) : name;
    }

    private void CSharp()
    {
        var type = Identifier(pascal: true);
        _sb.Append("namespace Contoso.").Append(Cap(Pick(IdentParts))).Append(";\n\n");
        _sb.Append("/// <summary>").Append(Cap(Pick(Adjectives))).Append(' ').Append(Pick(Nouns)).Append(" handling.</summary>\n");
        _sb.Append("public sealed class ").Append(type).Append("Service\n{\n");
        var fields = 1 + _rng.Next(3);
        for (var i = 0; i < fields; i++)
        {
            _sb.Append("    private readonly ").Append(Pick(Types)).Append(" _").Append(Identifier()).Append(";\n");
        }

        var methods = 1 + _rng.Next(3);
        for (var m = 0; m < methods; m++)
        {
            var arg = Identifier();
            _sb.Append("\n    public async Task<").Append(Pick(Types)).Append("> ").Append(Identifier(pascal: true)).Append("Async(")
                .Append(Pick(Types)).Append(' ').Append(arg).Append(", CancellationToken cancellationToken = default)\n    {\n");
            _sb.Append("        ArgumentNullException.ThrowIfNull(").Append(arg).Append(");\n");
            _sb.Append("        var ").Append(Identifier()).Append(" = await _client.GetAsync($\"/api/v").Append(_rng.Next(1, 4)).Append('/')
                .Append(Pick(IdentParts)).Append("s/{").Append(arg).Append("}\", cancellationToken).ConfigureAwait(false);\n");
            _sb.Append("        if (").Append(Identifier()).Append(" > ").Append(_rng.Next(1, 1000)).Append(" && !").Append(Identifier())
                .Append(".IsEmpty)\n        {\n            throw new InvalidOperationException(\"").Append(Cap(Pick(Nouns)))
                .Append(" limit exceeded: \" + ").Append(arg).Append(");\n        }\n\n");
            _sb.Append("        return ").Append(arg).Append(" switch\n        {\n            null => default,\n            _ => ").Append(arg)
                .Append(".ToString().Length * ").Append(_rng.Next(2, 64)).Append(",\n        };\n    }\n");
        }

        _sb.Append("}\n");
    }

    private void Python()
    {
        var fn = Pick(IdentParts) + "_" + Pick(IdentParts);
        _sb.Append("def ").Append(fn).Append("(").Append(Pick(IdentParts)).Append(", *, limit: int = ").Append(_rng.Next(1, 500))
            .Append(") -> dict[str, float]:\n");
        _sb.Append("    \"\"\"Return the ").Append(Pick(Adjectives)).Append(' ').Append(Pick(Nouns)).Append(" for each ").Append(Pick(IdentParts)).Append(".\"\"\"\n");
        _sb.Append("    result: dict[str, float] = {}\n");
        _sb.Append("    for i, row in enumerate(rows):\n");
        _sb.Append("        if i >= limit:\n            break\n");
        _sb.Append("        key = f\"{row['").Append(Pick(IdentParts)).Append("']}-{i:04d}\"\n");
        _sb.Append("        result[key] = round(row.get(\"").Append(Pick(IdentParts)).Append("\", 0) * ").Append(_rng.Next(1, 100) / 7.0)
            .Append(", 3)  # ").Append(Pick(Adjectives)).Append(" heuristic\n");
        _sb.Append("    logger.info(\"processed %d rows in %.2fs\", len(result), time.perf_counter() - start)\n");
        _sb.Append("    return result\n");
    }

    private void Json()
    {
        _sb.Append("{\n  \"id\": \"").Append(_rng.NextULong().ToString("x16", CultureInfo.InvariantCulture)).Append("\",\n");
        _sb.Append("  \"name\": \"").Append(Pick(Names)).Append(' ').Append(Cap(Pick(Nouns))).Append("\",\n");
        _sb.Append("  \"active\": ").Append(_rng.Next(2) == 0 ? "true" : "false").Append(",\n");
        _sb.Append("  \"score\": ").Append((_rng.Next(100_000) / 1000.0).ToString(CultureInfo.InvariantCulture)).Append(",\n");
        _sb.Append("  \"tags\": [\"").Append(Pick(Nouns)).Append("\", \"").Append(Pick(Adjectives)).Append("\", \"").Append(Pick(IdentParts)).Append("\"],\n");
        _sb.Append("  \"city\": \"").Append(Pick(Cities)).Append("\",\n");
        _sb.Append("  \"created\": \"").Append(new DateTime(2021, 1, 1).AddMinutes(_rng.Next(2_000_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append("\"\n}\n");
    }

    private static readonly string[] Cities = ["Zürich", "São Paulo", "Kraków", "Montréal", "Reykjavík", "東京", "서울", "Москва", "İstanbul", "Málaga", "Nairobi", "Oslo"];

    private void PowerShell()
    {
        _sb.Append("Get-ChildItem -Path ./").Append(Pick(IdentParts)).Append("s -Filter *.").Append(_rng.Next(2) == 0 ? "csv" : "json").Append(" -Recurse |\n");
        _sb.Append("    Where-Object { $_.Length -gt ").Append(_rng.Next(1, 100)).Append("KB -and $_.LastWriteTime -lt (Get-Date).AddDays(-").Append(_rng.Next(1, 30)).Append(") } |\n");
        _sb.Append("    ForEach-Object {\n        $").Append(Identifier()).Append(" = Import-Csv -LiteralPath $_.FullName\n");
        _sb.Append("        Write-Verbose \"Processing $($_.Name) with $($").Append(Identifier()).Append(".Count) rows\"\n");
        _sb.Append("        $").Append(Identifier()).Append(" | Send-LlmMessage -Template 'Classify: {{Title}}' -Model gpt-4o -ThrottleLimit ").Append(_rng.Next(1, 9)).Append('\n');
        _sb.Append("    } | Export-Csv -Path ./out/").Append(Pick(IdentParts)).Append(".csv -NoTypeInformation\n");
    }

    private void Sql()
    {
        _sb.Append("SELECT o.").Append(Pick(IdentParts)).Append("_id, c.name, SUM(o.").Append(Pick(IdentParts)).Append(") AS total\n");
        _sb.Append("FROM ").Append(Pick(IdentParts)).Append("s o\nJOIN customers c ON c.id = o.customer_id\n");
        _sb.Append("WHERE o.created_at >= '2024-").Append(_rng.Next(1, 13).ToString("00", CultureInfo.InvariantCulture)).Append("-01' AND c.country IN ('FR', 'DE', 'JP')\n");
        _sb.Append("GROUP BY o.").Append(Pick(IdentParts)).Append("_id, c.name\nHAVING COUNT(*) > ").Append(_rng.Next(1, 50)).Append("\nORDER BY total DESC;\n");
    }

    private static readonly string[] Levels = ["INFO", "WARN", "ERROR", "DEBUG"];

    private void Logs()
    {
        var lines = 5 + _rng.Next(10);
        var time = new DateTime(2025, 3, 1).AddSeconds(_rng.Next(10_000_000));
        for (var i = 0; i < lines; i++)
        {
            time = time.AddMilliseconds(_rng.Next(1, 5000));
            _sb.Append(time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ').Append(Pick(Levels)).Append(" [")
                .Append(Identifier()).Append("] ").Append(Pick(Verbs)).Append(' ').Append(Pick(IdentParts)).Append(" id=")
                .Append(_rng.NextULong().ToString("x8", CultureInfo.InvariantCulture)[..8]).Append(" status=").Append(Pick(["200", "201", "404", "429", "500", "503"]))
                .Append(" elapsed=").Append(_rng.Next(1, 3000)).Append("ms path=/v1/").Append(Pick(IdentParts)).Append("s/").Append(_rng.Next(100_000)).Append('\n');
        }
    }

    // ---------- other languages ----------

    private static readonly string[][] EuropeanSentences =
    [
        [
            "L'équipe a présenté le nouveau modèle à la conférence de Genève.", "Il faut être prudent : les données sont encore incomplètes.",
            "Où est la gare, s'il vous plaît ?", "Le café était délicieux, mais un peu cher.", "Nous avons réécrit le module pendant l'été.",
            "Ça dépend du contexte et des préférences de chacun.", "Les élèves ont reçu leurs résultats après une longue attente.",
        ],
        [
            "Die Größe der Datei überschreitet das zulässige Maß.", "Könnten Sie mir bitte die Rechnung schicken?",
            "Über das Wochenende wurde die Straße gesperrt.", "Die Mitarbeiterinnen äußerten sich zufrieden mit dem Ergebnis.",
            "Grüße aus München und einen schönen Abend!", "Wir müssen die Schnittstelle gründlich prüfen.",
        ],
        [
            "¿Dónde está la biblioteca más cercana?", "El niño comió una manzana en el jardín.", "La reunión se canceló por la lluvia.",
            "¡Qué sorpresa verte aquí, José!", "Según el informe, la producción aumentó un 12 % este año.", "Mañana llegará el técnico a las nueve.",
        ],
        [
            "A situação econômica melhorou no último trimestre.", "Você já experimentou o pão de queijo de Minas?",
            "As ações da empresa subiram após o anúncio.", "Não se esqueça de trazer o guarda-chuva amanhã.",
        ],
        [
            "Dziękuję za szybką odpowiedź, to bardzo pomocne.", "Şirketin yeni ürünü büyük ilgi gördü.", "Všechno je v pořádku, díky.",
            "Приложение обновилось, и теперь всё работает быстрее.", "Η ομάδα ολοκλήρωσε τη δοκιμή χθες το βράδυ.",
        ],
    ];

    private void European()
    {
        var language = EuropeanSentences[_rng.Next(EuropeanSentences.Length)];
        var sentences = 3 + _rng.Next(5);
        for (var i = 0; i < sentences; i++)
        {
            _sb.Append(i == 0 ? string.Empty : " ").Append(Pick(language));
        }

        _sb.Append('\n');
    }

    private static readonly string[] Chinese =
    [
        "今天的天气很好，我们去公园散步吧。", "这个模型的性能比上一个版本提高了百分之二十。", "请在下周五之前提交报告。",
        "他在北京工作了五年，现在搬到了上海。", "数据库迁移已经完成，没有发现任何问题。", "我们需要更多的测试用例来覆盖边界情况。",
        "会议推迟到明天下午三点。", "这本书讲述了一个关于友谊和勇气的故事。",
    ];

    private static readonly string[] Japanese =
    [
        "東京は今日も雨が降っています。", "新しいバージョンをリリースしました！", "ご確認のほど、よろしくお願いいたします。",
        "このライブラリはトークン数を高速に数えることができます。", "駅の近くに美味しいラーメン屋さんがあります。",
        "来週の会議の資料を準備してください。", "キャッシュの設定を見直す必要があります。",
    ];

    private static readonly string[] Korean =
    [
        "오늘 회의는 오후 두 시에 시작합니다.", "새로운 기능이 추가되었습니다.", "서울의 봄은 정말 아름답습니다.", "빠른 답변 감사합니다!",
    ];

    private void Cjk()
    {
        var pool = _rng.Next(5) switch { 0 or 1 => Chinese, 2 or 3 => Japanese, _ => Korean };
        var sentences = 3 + _rng.Next(6);
        for (var i = 0; i < sentences; i++)
        {
            _sb.Append(Pick(pool));
            if (_rng.Next(6) == 0)
            {
                _sb.Append(Pick(Emoji));
            }
        }

        _sb.Append('\n');
    }

    // ---------- helpers ----------

    private string Pick(string[] items) => items[_rng.Next(items.Length)];

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>SplitMix64: tiny, fast and the same everywhere (System.Random's seeded sequence is not a contract).</summary>
    private sealed class Rng(ulong state)
    {
        private ulong _state = state;

        public ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);

        public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);
    }
}

/// <summary>A generated text file.</summary>
internal sealed record CorpusInfo(string Path, long Bytes, long Characters);

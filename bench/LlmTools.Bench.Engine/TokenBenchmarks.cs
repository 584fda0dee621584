using System.Reflection;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Models;
using LlmTools.Engine.Tokenization;

namespace LlmTools.Bench.Engine;

/// <summary>Offline token counting (o200k_base, as for gpt-4o) and the settings every cmdlet call resolves.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly TokenCounter _counter = TokenCounter.ForModel("gpt-4o").Counter;
    private readonly IReadOnlyList<ChatMessage> _chat = Seed.Request(7).Messages;

    [Benchmark(Description = "Count: short prompt")]
    public int CountShort() => _counter.Count("Summarise the change for the changelog in three sentences, please.");

    [Benchmark(Description = "CountChat: 4 messages")]
    public int CountChat() => _counter.CountChat(_chat);
}

/// <summary>
/// Throughput on about 1 MB of the bench corpus (the same mixed text as the token-count scenario). Why a fixed
/// invocation count: the pilot stage sees tier-0 code (about 10x slower) and would pick 2 calls per iteration.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(16)]
public class TokenThroughputBenchmarks
{
    public const long Bytes = 1_000_000;

    private readonly TokenCounter _counter = TokenCounter.ForModel("gpt-4o").Counter;
    private readonly string _text = Corpus.Text(Bytes);

    [Benchmark(Description = "Count: ~1 MB mixed text")]
    [Throughput]
    public int CountLarge() => _counter.Count(_text);
}

/// <summary>Layered settings as a cmdlet resolves them: module config.ini, user file, ./config.ini, environment.</summary>
[MemoryDiagnoser]
public class SettingsBenchmarks
{
    private string _folder = null!;
    private SettingsSources _sources = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("llmtools-bdn-settings-").FullName;
        var module = Path.Combine(_folder, "module.ini");
        File.Copy(Path.Combine(RepoRoot(), "config.ini"), module); // the defaults the module ships
        File.WriteAllText(Path.Combine(_folder, "config.ini"), "[OpenAI]\nMODEL=gpt-4o-mini\nWAITING_TIME=0\n[LlmTools]\nCACHE_DIR=./cache\nCACHE_MODE=readwrite\n");
        // why a fixed environment: the machine's variables must not change the figure
        _sources = new SettingsSources(module, Path.Combine(_folder, "no-user.ini"), Path.Combine(_folder, "config.ini"), _ => null);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "LlmTools.sln")))
        {
            dir = dir.Parent ?? throw new InvalidOperationException("LlmTools.sln not found above " + AppContext.BaseDirectory);
        }

        return dir.FullName;
    }

    [Benchmark(Description = "SettingsLoader.Load: 3 ini layers + environment")]
    public LlmSettings Load() => SettingsLoader.Load(_sources);
}

/// <summary>Marks a benchmark that processes <see cref="TokenThroughputBenchmarks.Bytes"/> of text, for <see cref="ThroughputColumn"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThroughputAttribute : Attribute;

/// <summary>MB/s (10^6 bytes of UTF-8 per second, by the median) for benchmarks marked <see cref="ThroughputAttribute"/>.</summary>
public sealed class ThroughputColumn : IColumn
{
    private static readonly Lazy<int> Bytes = new(() => Encoding.UTF8.GetByteCount(Corpus.Text(TokenThroughputBenchmarks.Bytes)));

    public string Id => "MBps";
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Throughput: 10^6 bytes of UTF-8 text per second, by the median";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(Marked);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Marked(benchmarkCase) && summary[benchmarkCase]?.ResultStatistics is { } stats
            ? (Bytes.Value / 1e6 / (stats.Median / 1e9)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)
            : "-";

    private static bool Marked(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ThroughputAttribute>() is not null;
}

using BenchmarkDotNet.Attributes;
using LlmTools.Engine.Batches;

namespace LlmTools.Bench.Engine;

/// <summary>
/// What -AsBatch costs on this machine before anything is uploaded: one JSONL line per input (a chat line is the
/// body the SDK itself writes, captured; an embedding line is written directly), and the split of 120,000 lines into
/// files within the provider's limits (issue 12's size).
/// </summary>
[MemoryDiagnoser]
public class BatchBenchmarks
{
    public const int Inputs = 120_000;

    private readonly ChatBodyCapture _capture = new();
    private byte[][] _lines = null!;

    [GlobalSetup]
    public void Setup() =>
        _lines = Enumerable.Range(0, Inputs).Select(i => BatchJsonl.Line(i, "/v1/embeddings", BatchJsonl.EmbeddingBody(Seed.EmbeddingModel, $"ticket {i}: the printer on floor 3 is offline again", null))).ToArray();

    [Benchmark(Description = "chat line: SDK-captured body (4 messages, sampling)")]
    public byte[] ChatLine() => BatchJsonl.Line(7, "/v1/chat/completions", _capture.Body(Seed.Request(7)));

    [Benchmark(Description = "embedding line")]
    public byte[] EmbeddingLine() => BatchJsonl.Line(7, "/v1/embeddings", BatchJsonl.EmbeddingBody(Seed.EmbeddingModel, "ticket 7: the printer on floor 3 is offline again", null));

    [Benchmark(Description = "split 120,000 lines at 50,000 requests / 200 MB")]
    public int Split120k() => BatchJsonl.Split(_lines, BatchLimits.Provider).Count;
}

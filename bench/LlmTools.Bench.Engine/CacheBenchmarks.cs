using BenchmarkDotNet.Attributes;
using LlmTools.Engine.Caching;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Bench.Engine;

/// <summary>What a chat or embedding call computes before it looks in the cache.</summary>
[MemoryDiagnoser]
public class CacheKeyBenchmarks
{
    [Benchmark(Description = "chat key: CacheKeys.ForChat (4 messages, sampling options)")]
    public string ChatKey() => CacheKeys.ForChat(Seed.Provider, Seed.Host, Seed.Request(7));

    [Benchmark(Description = "embedding key: CacheKeys.ForEmbedding")]
    public string EmbeddingKey() => CacheKeys.ForEmbedding(Seed.Provider, Seed.Host, Seed.EmbeddingModel, null, "text 7");
}

/// <summary>
/// A hit as chat and embeddings make it: <see cref="FileResponseCache.TryGet{T}"/> in replay mode on one of 10 warm
/// entries, cycled, so both folder sizes read the same 10 files and only the folder's size differs.
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private string _root = null!;
    private FileResponseCache _chat = null!;
    private FileResponseCache _embeddings = null!;
    private string[] _chatKeys = null!;
    private string[] _embeddingKeys = null!;
    private int _next;

    /// <summary>Entries in each folder (chat answers in one, 8-float vectors in the other, as the loopback server gives).</summary>
    [Params(10, 10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("llmtools-bdn-hit-").FullName;
        (_chat, _chatKeys) = Seed.Chat(Path.Combine(_root, "chat"), Entries);
        (_embeddings, _embeddingKeys) = Seed.Vectors(Path.Combine(_root, "embeddings"), Entries, dimensions: 8);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Description = "chat hit: TryGet<ChatResult>")]
    public ChatResult ChatHit() =>
        _chat.TryGet<ChatResult>(_chatKeys[_next++ % 10], "gpt-4o-mini", NullLog.Instance, out var value) ? value : throw new InvalidOperationException("miss");

    [Benchmark(Description = "embedding hit: TryGet<float[]>, 8 floats")]
    public float[] EmbeddingHit() =>
        _embeddings.TryGet<float[]>(_embeddingKeys[_next++ % 10], Seed.EmbeddingModel, NullLog.Instance, out var value) ? value : throw new InvalidOperationException("miss");
}

/// <summary>A realistic vector (text-embedding-3-small: 1,536 floats), 10 entries: decoding is most of this hit.</summary>
[MemoryDiagnoser]
public class VectorHitBenchmarks
{
    private string _root = null!;
    private FileResponseCache _cache = null!;
    private string[] _keys = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("llmtools-bdn-vector-").FullName;
        (_cache, _keys) = Seed.Vectors(_root, 10, dimensions: 1536);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Description = "embedding hit: TryGet<float[]>, 1,536 floats")]
    public float[] EmbeddingHit() =>
        _cache.TryGet<float[]>(_keys[_next++ % 10], Seed.EmbeddingModel, NullLog.Instance, out var value) ? value : throw new InvalidOperationException("miss");
}

/// <summary>Seeds cache folders directly through <see cref="FileResponseCache.Write{T}"/>: no server, no module.</summary>
internal static class Seed
{
    public const string Provider = "OpenAI";
    public const string Host = "api.openai.com";
    public const string EmbeddingModel = "text-embedding-3-small";

    /// <summary>A realistic chat request: system prompt, a short exchange and sampling options.</summary>
    public static ChatRequest Request(int i) => new()
    {
        Model = "gpt-4o-mini",
        Messages =
        [
            ChatMessage.System("You are a careful assistant. Answer in at most three sentences and cite the section you used."),
            ChatMessage.User("Here is the release note: the cache now keeps one JSON file per answer, written atomically."),
            ChatMessage.Assistant("Understood. What would you like to know about it?"),
            ChatMessage.User($"Summarise the change for the changelog, entry {i}."),
        ],
        Sampling = new SamplingOptions { Temperature = 0.2f, MaxTokens = 400, Seed = 42, Stop = ["\n\n"] },
    };

    public static (FileResponseCache Replay, string[] Keys) Chat(string folder, int entries)
    {
        var cache = new FileResponseCache(folder);
        var metadata = new CacheEntryMetadata(CacheKinds.Chat, "gpt-4o-mini", Provider, Host);
        var keys = new string[entries];
        for (var i = 0; i < entries; i++)
        {
            keys[i] = CacheKeys.ForChat(Provider, Host, Request(i));
            cache.Write(keys[i], metadata, new ChatResult
            {
                Content = $"The cache now stores each answer in its own JSON file, replaced atomically ({i}).",
                Model = "gpt-4o-mini-2024-07-18",
                FinishReason = "stop",
                Usage = new(120, 18, 138),
                Id = $"chatcmpl-{i:x8}",
            });
        }

        return (new FileResponseCache(folder) { Mode = CacheMode.Replay }, keys);
    }

    public static (FileResponseCache Replay, string[] Keys) Vectors(string folder, int entries, int dimensions)
    {
        var cache = new FileResponseCache(folder);
        var metadata = new CacheEntryMetadata(CacheKinds.Embedding, EmbeddingModel, Provider, Host);
        var random = new Random(7);
        var keys = new string[entries];
        for (var i = 0; i < entries; i++)
        {
            keys[i] = CacheKeys.ForEmbedding(Provider, Host, EmbeddingModel, null, $"text {i}");
            cache.Write(keys[i], metadata, Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        }

        return (new FileResponseCache(folder) { Mode = CacheMode.Replay }, keys);
    }
}

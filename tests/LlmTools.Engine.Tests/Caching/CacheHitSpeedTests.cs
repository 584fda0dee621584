using System.Diagnostics;
using LlmTools.Engine.Caching;

namespace LlmTools.Engine.Tests.Caching;

public sealed class CacheHitSpeedTests : IDisposable
{
    private readonly TempCache _temp = new();

    private sealed record Answer(string Text, int PromptTokens, int CompletionTokens);

    [Fact]
    public void A_hit_takes_well_under_a_millisecond_in_a_small_and_in_a_big_cache()
    {
        // why 1,000 and not 10,000: creating files costs ~0.5 ms each on slow CI disks; a hit opens one known
        // path (no directory scan), so its cost does not grow with the count (10,000 entries: ~20 µs per hit)
        var small = MeasureHit(Path.Combine(_temp.Directory, "small"), 10);
        var big = MeasureHit(Path.Combine(_temp.Directory, "big"), 1_000);

        Assert.True(small < TimeSpan.FromMilliseconds(1), $"{small.TotalMicroseconds:F0} µs per hit with 10 entries");
        Assert.True(big < TimeSpan.FromMilliseconds(1), $"{big.TotalMicroseconds:F0} µs per hit with 1,000 entries");
    }

    private static TimeSpan MeasureHit(string directory, int entries)
    {
        var metadata = new CacheEntryMetadata(CacheKinds.Chat, "gpt-4o-mini", "OpenAI", "api.openai.com", "question");
        var keys = Enumerable.Range(0, entries).Select(i => FileResponseCache.ComputeKey(new { Question = i })).ToArray();
        var cache = new FileResponseCache(directory);
        cache.Write(keys[0], metadata, new Answer("warm", 1, 1));
        foreach (var key in keys.Skip(1))
        {
            // why: the bytes Write produces, without its fsync, so seeding stays fast
            var path = cache.GetPath(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, CacheEntryCodec.Encode(key, metadata, DateTimeOffset.UtcNow, new Answer(new string('a', 400), 20, 100)));
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.True(cache.TryRead<Answer>(keys[i % entries]).IsHit); // warm up the JIT and the serializer
        }

        const int reads = 1_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < reads; i++)
        {
            Assert.True(cache.TryRead<Answer>(keys[(i * 997) % entries]).IsHit);
        }

        return clock.Elapsed / reads;
    }

    public void Dispose() => _temp.Dispose();
}

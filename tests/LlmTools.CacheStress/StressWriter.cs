using LlmTools.Engine.Caching;

namespace LlmTools.CacheStress;

/// <summary>Writes shared keys (every writer fights over them) and own keys, reading shared keys in between.</summary>
public static class StressWriter
{
    /// <summary>Keys every writer writes; few, so writers collide on them constantly.</summary>
    public const int SharedKeys = 8;

    public static string SharedKey(int index) => CacheKeys.Compute(new { Stress = "shared", Index = index });

    public static string OwnKey(string writer, int iteration) => CacheKeys.Compute(new { Stress = "own", Writer = writer, Iteration = iteration });

    /// <summary>Returns how many reads found a corrupt (torn) entry; it must be 0.</summary>
    public static int Run(string directory, string writer, int iterations)
    {
        // why: a separate instance per writer, as separate runspaces and processes have
        var cache = new FileResponseCache(directory);
        var torn = 0;
        for (var i = 0; i < iterations; i++)
        {
            var shared = SharedKey(i % SharedKeys);
            cache.Write(shared, Metadata(writer), Payload(writer, i));
            cache.Write(OwnKey(writer, i), Metadata(writer), Payload(writer, i));

            var read = cache.TryRead<StressPayload>(SharedKey((i + 3) % SharedKeys));
            if (read.Status == CacheReadStatus.Corrupt || (read.IsHit && !read.Value!.IsWhole))
            {
                torn++;
            }
        }

        return torn;
    }

    private static CacheEntryMetadata Metadata(string writer) =>
        new(CacheKinds.Chat, "stress-model", "OpenAI", "localhost", $"writer {writer}");

    // why: sizes vary (1 to 17 KB) so a torn file would be a short one; writers and turns differ in fill
    private static StressPayload Payload(string writer, int iteration)
    {
        var seed = writer.Sum(c => c);
        var length = 1024 + (((seed * 131) + (iteration * 7919)) % (16 * 1024));
        var fill = (char)('a' + ((seed + iteration) % 26));
        return new StressPayload(writer, iteration, length, fill, new string(fill, length));
    }
}

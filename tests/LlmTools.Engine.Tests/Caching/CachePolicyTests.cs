using LlmTools.Engine.Caching;

namespace LlmTools.Engine.Tests.Caching;

public sealed class CachePolicyTests
{
    [Theory]
    [InlineData(CacheMode.ReadWrite, true, false)]
    [InlineData(CacheMode.ReadOnly, false, false)]
    [InlineData(CacheMode.Replay, false, true)]
    public void Only_readwrite_writes_and_only_replay_fails_a_miss(CacheMode mode, bool write, bool missIsError)
    {
        Assert.Equal(write, mode.CanWrite());
        Assert.Equal(missIsError, mode.MissIsError());
    }

    [Fact]
    public void Replay_miss_message_says_what_happened_and_how_to_fix_it()
    {
        var key = CacheKeys.Compute("question");

        var message = CacheModes.ReplayMissMessage(key, "gpt-4o", "/home/me/.cache/LlmTools", CacheReadStatus.Expired);

        Assert.Contains("replay", message);
        Assert.Contains("gpt-4o", message);
        Assert.Contains("/home/me/.cache/LlmTools", message);
        Assert.Contains(key[..12], message);
        Assert.Contains("expired", message);
        Assert.Contains("CACHE_MODE=readwrite", message);
    }
}

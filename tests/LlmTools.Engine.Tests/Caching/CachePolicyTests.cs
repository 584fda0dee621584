using LlmTools.Engine.Caching;
using LlmTools.Engine.Configuration;

namespace LlmTools.Engine.Tests.Caching;

public sealed class CachePolicyTests
{
    [Theory]
    [InlineData(CacheMode.ReadWrite, true, true, false)]
    [InlineData(CacheMode.ReadOnly, true, false, false)]
    [InlineData(CacheMode.Replay, true, false, true)]
    public void Each_mode_reads_and_only_readwrite_writes(CacheMode mode, bool read, bool write, bool missIsError)
    {
        Assert.Equal(read, CachePolicy.CanRead(mode));
        Assert.Equal(write, CachePolicy.CanWrite(mode));
        Assert.Equal(missIsError, CachePolicy.MissIsError(mode));
    }

    [Fact]
    public void Replay_miss_message_says_what_happened_and_how_to_fix_it()
    {
        var key = FileResponseCache.ComputeKey("question");

        var ex = new CacheReplayMissException(key, "gpt-4o", "/home/me/.cache/LlmTools", CacheReadStatus.Expired);

        Assert.Contains("replay", ex.Message);
        Assert.Contains("gpt-4o", ex.Message);
        Assert.Contains("/home/me/.cache/LlmTools", ex.Message);
        Assert.Contains(key[..12], ex.Message);
        Assert.Contains("expired", ex.Message);
        Assert.Contains("CACHE_MODE=readwrite", ex.Message);
    }
}

using LlmTools.Engine.Resilience;

namespace LlmTools.Engine.Tests.Resilience;

public sealed class RetryOptionsTests
{
    private static readonly RetryOptions TinyTroupe = new(5, TimeSpan.FromSeconds(2), 5, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 10)]
    [InlineData(2, 50)]
    [InlineData(3, 60)] // 250 s capped
    public void Backoff_grows_by_the_factor_and_is_capped(int retry, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, TinyTroupe.DelayFor(retry, null, jitterSample: 0.5).TotalSeconds, 6);

    [Fact]
    public void Jitter_spreads_delays_twenty_percent_either_way()
    {
        Assert.Equal(1.6, TinyTroupe.DelayFor(0, null, 0).TotalSeconds, 6);
        Assert.Equal(2.4, TinyTroupe.DelayFor(0, null, 1).TotalSeconds, 6);
    }

    [Fact]
    public void Retry_after_wins_over_backoff_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(300), TinyTroupe.DelayFor(3, TimeSpan.FromMilliseconds(300), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(60), TinyTroupe.DelayFor(0, TimeSpan.FromHours(1), 0.5));
    }
}

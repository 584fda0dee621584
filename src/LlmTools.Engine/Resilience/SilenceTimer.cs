using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Resilience;

/// <summary>
/// The one timeout rule, for plain calls and streams alike: TIMEOUT is the longest the server may stay silent. A plain
/// call is silent until its whole answer arrives; a stream's clock runs only while we wait for its next chunk. A timeout is a transient
/// failure, so the retry layer may try again (a stream only until its first chunk was shown).
/// </summary>
internal sealed class SilenceTimer : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _limit;

    public SilenceTimer(TimeSpan limit, CancellationToken caller)
    {
        _limit = limit;
        _caller = caller;
        _timer = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _timer.CancelAfter(limit);
    }

    /// <summary>Cancelled by the caller (Ctrl+C) or by silence.</summary>
    public CancellationToken Token => _timer.Token;

    /// <summary>True when silence, not the caller, cancelled.</summary>
    public bool Fired => _timer.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>We wait for the server again: it gets the whole limit.</summary>
    public void Restart() => _timer.CancelAfter(_limit);

    /// <summary>The server answered and the caller holds the piece: that time is not the server's silence.</summary>
    public void Pause() => _timer.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Attempts a failure may have. Why two for a silence: a server silent for the whole TIMEOUT twice is down or
    /// overloaded, and five silences at the default 60 s would hold an item for over five minutes.
    /// </summary>
    public static int AttemptsFor(LlmException failure) => failure.ErrorId == LlmErrorId.RequestTimedOut ? 2 : int.MaxValue;

    /// <summary>The failure a silence is, worded for <paramref name="endpoint"/>.</summary>
    public LlmException TimedOut(string endpoint, Exception inner) => new(
        LlmErrorId.RequestTimedOut,
        $"No answer from {endpoint} within {_limit.TotalSeconds:0.###} s (a silence is retried once). If the server is only slow (a large local model, a long answer), raise TIMEOUT in config.ini or pass -TimeoutSec; otherwise check that it is up.",
        inner: inner)
    { IsTransient = true };

    public void Dispose() => _timer.Dispose();
}

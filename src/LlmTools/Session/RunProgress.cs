using System.Diagnostics;
using System.Management.Automation;
using LlmTools.Engine.Pacing;

namespace LlmTools.Session;

/// <summary>
/// The progress bar of a multi-item run: answered of received (the total, once it is known), failures, requests in
/// flight, elapsed time, and the latest wait. Shown at any -ThrottleLimit, from the second item on or as soon as a
/// request waits, so a one-question call stays quiet. Written on the pipeline thread only.
/// </summary>
internal sealed class RunProgress(string activity)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _received;
    private int _done;
    private int _failed;
    private int? _total;
    private string? _waiting;
    private bool _shown;

    /// <summary>The pace of the run's rate limiter, shown in the bar (requests and tokens in the last minute, a pause).</summary>
    public RateLimiter? Pacing { get; set; }

    /// <summary>Items known in advance (an array given to -Prompt); null while the pipeline may bring more.</summary>
    public void KnowTotal(int total) => _total = total;

    /// <summary>One more item submitted.</summary>
    public void Received() => _received++;

    /// <summary>One item answered or failed.</summary>
    public void Finished(Cmdlet cmdlet, bool failed, int inFlight)
    {
        _done++;
        _failed += failed ? 1 : 0;
        _waiting = null;
        Write(cmdlet, inFlight);
    }

    /// <summary>The pipeline has ended: the number received is the total, shown at once if the bar is up.</summary>
    public void InputEnded(Cmdlet cmdlet, int inFlight)
    {
        _total ??= _received;
        if (_shown)
        {
            Write(cmdlet, inFlight);
        }
    }

    /// <summary>A request waits (retry, quota); shown until the next item finishes.</summary>
    public void Waiting(Cmdlet cmdlet, string message)
    {
        _waiting = message;
        Write(cmdlet, inFlight: null);
    }

    /// <summary>Updates the bar; from the second item on, or while a request waits.</summary>
    public void Write(Cmdlet cmdlet, int? inFlight)
    {
        if (_received < 2 && _waiting is null && !_shown)
        {
            return;
        }

        _shown = true;
        var total = _total ?? _received;
        var failed = _failed > 0 ? $", {_failed} failed" : string.Empty;
        var flying = inFlight is > 0 ? $", {inFlight} in flight" : string.Empty;
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var pace = Pacing?.Status();
        cmdlet.WriteProgress(new ProgressRecord(1, activity, $"{_done} of {total}{(_total is null ? "+" : string.Empty)} done{failed}{flying}, {elapsed.TotalSeconds:0} s{Pace(pace)}")
        {
            PercentComplete = total > 0 ? Math.Min(100, _done * 100 / total) : -1,
            CurrentOperation = pace?.PausedFor is { } paused ? $"Paused {paused.TotalSeconds:0.#} s more: the server refused a request (429)." : _waiting,
        });
    }

    // why: a person watching a paced run wants to see it runs at the limit, not that it is stuck
    internal static string Pace(RateLimitStatus? status)
    {
        if (status is null || status.RequestsLastMinute == 0)
        {
            return string.Empty;
        }

        var limits = new[] { status.RequestLimit is { } r ? $"{r:#,0} requests" : null, status.TokenLimit is { } t ? $"{t:#,0} tokens" : null }
            .Where(l => l is not null).ToArray();
        var of = limits.Length == 0 ? string.Empty : $" (limit {string.Join(", ", limits)} per minute)";
        return $"; last minute: {status.RequestsLastMinute:#,0} requests, {status.TokensLastMinute:#,0} tokens{of}";
    }

    /// <summary>Removes the bar, if it was shown.</summary>
    public void Complete(Cmdlet cmdlet)
    {
        if (_shown)
        {
            cmdlet.WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}

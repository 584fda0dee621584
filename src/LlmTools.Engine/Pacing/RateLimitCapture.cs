namespace LlmTools.Engine.Pacing;

/// <summary>
/// Carries the rate-limit headers of an answer from the SDK's HTTP pipeline (where headers are seen, for successes,
/// refusals and streams alike) back to the limiter that sent the request. Why an async-local: the SDK's typed calls
/// hide the response, and the limiter must not know the SDK; the value flows down the call, the box flows back.
/// </summary>
internal static class RateLimitCapture
{
    private static readonly AsyncLocal<Box?> Current = new();

    /// <summary>Starts capturing for the calls made from here down in this async flow.</summary>
    public static Box Begin()
    {
        var box = new Box();
        Current.Value = box;
        return box;
    }

    /// <summary>Called by the HTTP pipeline for every answer.</summary>
    public static void Report(RateLimitSnapshot? snapshot)
    {
        if (Current.Value is { } box)
        {
            box.Snapshot = snapshot;
            box.Answered = true;
        }
    }

    /// <summary>What the last answer of one call said.</summary>
    internal sealed class Box
    {
        /// <summary>The headers, or null when the answer had none.</summary>
        public RateLimitSnapshot? Snapshot { get; set; }

        /// <summary>True once the server answered at all (a failure to connect never does).</summary>
        public bool Answered { get; set; }
    }
}

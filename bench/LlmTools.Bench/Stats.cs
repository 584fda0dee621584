namespace LlmTools.Bench;

/// <summary>Median, min and max of a set of timings in milliseconds.</summary>
internal readonly record struct Stats(double Median, double Min, double Max, int Count)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("No samples.", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Stats(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary>Throughput in MB/s (10^6 bytes) for <paramref name="bytes"/> processed in <paramref name="ms"/>.</summary>
    public static double MBps(long bytes, double ms) => bytes / 1e6 / (ms / 1000);
}

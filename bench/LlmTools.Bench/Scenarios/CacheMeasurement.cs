namespace LlmTools.Bench.Scenarios;

/// <summary>One row of the cache scenario, collecting the samples of its timed runs.</summary>
/// <param name="name">Row name; rows of the same name differ by <paramref name="entries"/>.</param>
/// <param name="entries">Entries in the cache it reads; null when it reads none.</param>
/// <param name="unit">"per item" or "per call".</param>
/// <param name="isHit">A replay hit: the server must see no request meanwhile.</param>
/// <param name="measure">Runs it once for (repetition, run).</param>
internal sealed class CacheMeasurement(string name, int? entries, string unit, bool isHit, Func<int, int, CacheSample> measure)
{
    public string Name { get; } = name;

    public int? Entries { get; } = entries;

    public string Unit { get; } = unit;

    public bool IsHit { get; } = isHit;

    public List<double> Timings { get; } = [];

    public List<double> Exceptions { get; } = [];

    public List<double> Bytes { get; } = [];

    public Stats Stats => Stats.Of(Timings);

    public CacheSample Run(int rep, int run) => measure(rep, run);

    public void Record(CacheSample sample)
    {
        Timings.AddRange(sample.Ms);
        if (sample.ExceptionsPerUnit is { } exceptions)
        {
            Exceptions.Add(exceptions);
        }

        if (sample.BytesPerUnit is { } bytes)
        {
            Bytes.Add(bytes);
        }
    }
}

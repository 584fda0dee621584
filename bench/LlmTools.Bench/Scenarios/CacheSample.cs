namespace LlmTools.Bench.Scenarios;

/// <summary>What one run of a cache measurement gives: timings, and per item or call the exceptions thrown and bytes allocated.</summary>
/// <param name="Ms">One or more timings in milliseconds (per item for piped runs, per call for single calls).</param>
/// <param name="ExceptionsPerUnit">First-chance exceptions in the process during the timed part, per item or call; null when not counted.</param>
/// <param name="BytesPerUnit">Bytes allocated in the process during the timed part, per item or call; null when not counted.</param>
internal sealed record CacheSample(double[] Ms, double? ExceptionsPerUnit = null, double? BytesPerUnit = null);

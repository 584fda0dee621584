namespace LlmTools.Bench.Scenarios;

/// <summary>How filling one cache went.</summary>
internal sealed record FillResult(CacheKind Kind, int Entries, int Requests, int ExpectedRequests, int Files, long Bytes, double Ms, bool Ok);

namespace LlmTools.Bench;

/// <summary>One headline figure, shown in the summary table at the end of the report.</summary>
internal sealed record SummaryRow(string Metric, string Value, string Goal = "", bool? Met = null);

namespace LlmTools.Engine.Models;

/// <summary>Tokens a call cost, as the server reported them.</summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

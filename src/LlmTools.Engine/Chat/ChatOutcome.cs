using LlmTools.Engine.Models;

namespace LlmTools.Engine.Chat;

/// <summary>A finished chat call: the result, whether it came from the cache, and how long it took.</summary>
public sealed record ChatOutcome(ChatResult Result, bool Cached, TimeSpan Duration);

namespace LlmTools.CacheStress;

/// <summary>A payload that can tell whether it arrived whole: Body has Length characters, all of them Fill.</summary>
public sealed record StressPayload(string Writer, int Iteration, int Length, char Fill, string Body)
{
    public bool IsWhole => Body.Length == Length && Body.All(c => c == Fill);
}

namespace LlmTools.Engine.Diagnostics;

/// <summary>A log that drops everything.</summary>
public sealed class NullLog : ILlmLog
{
    public static readonly NullLog Instance = new();

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}

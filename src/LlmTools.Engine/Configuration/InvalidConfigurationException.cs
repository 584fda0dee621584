namespace LlmTools.Engine.Configuration;

/// <summary>A setting is missing or has a value that cannot be used; the message says where and how to fix it.</summary>
public sealed class InvalidConfigurationException : Exception
{
    public InvalidConfigurationException(string message, string? source = null, string? key = null)
        : base(message)
    {
        Source = source;
        Key = key;
    }

    /// <summary>The file or environment variable that held the value.</summary>
    public new string? Source { get; }

    public string? Key { get; }
}

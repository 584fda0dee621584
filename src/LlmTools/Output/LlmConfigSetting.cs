namespace LlmTools.Output;

/// <summary>What Get-LlmConfig writes: one effective setting and where it came from. Never a secret's value.</summary>
public sealed class LlmConfigSetting
{
    /// <summary>The config.ini key (API_TYPE, MODEL, ...), API_KEY for the key, or MODULE_CONFIG / USER_CONFIG / LOCAL_CONFIG for the files.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The value in effect; for API_KEY only whether one is set, never the key.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>The config file or environment variable that set it, parameter, or default; for the files, found or not found.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>"NAME = value".</summary>
    public override string ToString() => $"{Name} = {Value}";
}

namespace LlmTools.Engine.Configuration;

/// <summary>
/// An API key that never prints itself, and the redaction that keeps it out of every message. Why: settings objects
/// reach verbose output, error messages and debuggers, and servers or SDKs may echo a key back; the key must not show.
/// </summary>
public sealed class ApiSecret
{
    private readonly string _value;

    /// <summary>Wraps <paramref name="value"/> (trimmed).</summary>
    public ApiSecret(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>Where the key came from (an environment variable or a parameter), safe to show.</summary>
    public string Source { get; init; } = "parameter";

    /// <summary>The key itself; only the provider factory calls this.</summary>
    public string Reveal() => _value;

    /// <summary>A short, stable fingerprint so two keys can be told apart in a session key.</summary>
    public string Fingerprint()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_value));
        return Convert.ToHexString(hash, 0, 8);
    }

    /// <summary><paramref name="text"/> with every occurrence of the key replaced by ***.</summary>
    public string Redact(string text) => text.Replace(_value, "***", StringComparison.Ordinal);

    /// <summary>True when <paramref name="text"/> shows the key.</summary>
    public bool IsIn(string? text) => text?.Contains(_value, StringComparison.Ordinal) == true;

    /// <inheritdoc/>
    public override string ToString() => $"*** (from {Source})";
}

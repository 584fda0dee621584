namespace LlmTools.Engine.Configuration;

/// <summary>
/// An API key that never prints itself. Why: settings objects reach verbose output, error messages and
/// debuggers; the key must not.
/// </summary>
public sealed class ApiSecret
{
    private readonly string _value;

    public ApiSecret(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>Where the key came from (an environment variable or a parameter), safe to show.</summary>
    public string Source { get; init; } = "parameter";

    /// <summary>The key itself; only the provider factory calls this.</summary>
    public string Reveal() => _value;

    /// <summary>A short, stable fingerprint so two keys can be told apart in a client cache key.</summary>
    public string Fingerprint()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_value));
        return Convert.ToHexString(hash, 0, 8);
    }

    public override string ToString() => $"*** (from {Source})";
}

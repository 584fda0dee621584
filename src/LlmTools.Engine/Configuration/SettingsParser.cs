using System.Globalization;

namespace LlmTools.Engine.Configuration;

/// <summary>Typed reads of layered values; a bad value is an error naming its source, key and value.</summary>
internal sealed class SettingsParser(ConfigLayers layers)
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    public Dictionary<string, string> UsedSources { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? String(string key)
    {
        if (!layers.Values.TryGetValue(key, out var entry) || entry.Value.Length == 0)
        {
            return null;
        }

        UsedSources[key] = entry.Source;
        return entry.Value;
    }

    public T? Parse<T>(string key, Func<string, T?> parse, string expected)
        where T : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return parse(text) ?? throw Bad(key, text, expected);
    }

    public float? Float(string key, float min, float max) => Parse(key, text =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (float?)null,
        $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");

    public double? Double(string key, double min, double max) => Parse(key, text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (double?)null,
        $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");

    public int? Int(string key, int min, int max) => Parse(key, text =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (int?)null,
        $"a whole number from {min} to {max}");

    public TimeSpan? Seconds(string key, double min, double max) =>
        Double(key, min, max) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    public bool? Bool(string key) => Parse(key, text =>
        TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? true
        : FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? false
        : (bool?)null,
        "True or False");

    public TEnum? Enum<TEnum>(string key)
        where TEnum : struct, System.Enum => Parse(key, text =>
        System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var v) && System.Enum.IsDefined(v) && !char.IsDigit(text[0]) ? v : (TEnum?)null,
        "one of " + string.Join(", ", System.Enum.GetNames<TEnum>()).ToLowerInvariant());

    public Uri? AbsoluteUri(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw Bad(key, text, "an absolute http:// or https:// URL");
    }

    public InvalidConfigurationException Bad(string key, string value, string expected)
    {
        var source = layers.Values.TryGetValue(key, out var entry) ? entry.Source : "parameters";
        return new InvalidConfigurationException(
            $"Invalid value '{value}' for {key} in {Describe(source)}: expected {expected}. Fix or remove it.",
            source,
            key);
    }

    private static string Describe(string source) =>
        source.StartsWith("environment variable", StringComparison.Ordinal) ? source : $"config file '{source}'";
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration.Ini;

namespace LlmTools.Engine.Configuration;

/// <summary>
/// Raw key/value strings from every layer, later layers winning, each value remembering its source so an error
/// can name the file, key and value.
/// </summary>
internal sealed class ConfigLayers
{
    private static readonly ConcurrentDictionary<string, ((DateTime Written, long Length) Stamp, IDictionary<string, string?> Values)> Parsed = new();

    private readonly Dictionary<string, (string Value, string Source)> _values = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, (string Value, string Source)> Values => _values;

    /// <summary>False for the offline cmdlets: an unknown key (a typo) is then let be; a secret is refused always.</summary>
    public bool CheckKeys { get; init; } = true;

    public void AddIniFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        foreach (var (sectionKey, value) in Read(full))
        {
            var separator = sectionKey.IndexOf(':');
            if (separator < 0 || !ConfigKeys.Sections.Contains(sectionKey[..separator], StringComparer.OrdinalIgnoreCase))
            {
                continue; // why: TinyTroupe files carry [Simulation], [Logging], ...; they are not ours
            }

            var key = sectionKey[(separator + 1)..];
            if (sectionKey[..separator].Equals(ConfigKeys.PricesSection, StringComparison.OrdinalIgnoreCase))
            {
                Set(PriceKey(key), value ?? string.Empty, full); // why no key check: its keys are model names, any name
                continue;
            }

            if (ConfigKeyCheck.LooksSecret(key))
            {
                throw new InvalidConfigurationException(
                    $"Config file '{full}' contains the secret key '{key}'. API keys never belong in config files: remove the line and set the environment variable {EnvironmentVariables.OpenAIApiKey} (or {EnvironmentVariables.AzureApiKey}), or pass -ApiKey.",
                    full,
                    key);
            }

            if (CheckKeys && ConfigKeyCheck.Problem(sectionKey[..separator], key, full) is { } unknown)
            {
                throw new InvalidConfigurationException(unknown, full, key);
            }

            Set(key, value ?? string.Empty, full);
        }
    }

    /// <summary>
    /// The file's key/values, parsed once per version of the file. Why: every cmdlet call resolves settings, and
    /// a cache hit costs far less than parsing up to three ini files again.
    /// </summary>
    private static IDictionary<string, string?> Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (Parsed.TryGetValue(path, out var known) && known.Stamp == stamp)
            {
                return known.Values;
            }

            using var stream = File.OpenRead(path);
            var values = IniStreamConfigurationProvider.Read(stream);
            Parsed[path] = (stamp, values);
            return values;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigurationException($"Cannot read config file '{path}': {ex.Message}", path);
        }
    }

    public void AddEnvironment(Func<string, string?> environment, string variable, string key)
    {
        var value = environment(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            Set(key, value, $"environment variable {variable}");
        }
    }

    public void Set(string key, string value, string source) => _values[key] = (value.Trim(), source);

    /// <summary>The layered key of a model's price in [Prices].</summary>
    public static string PriceKey(string model) => ConfigKeys.PricesSection.ToUpperInvariant() + ":" + model;
}

/// <summary>Typed reads of layered values; a bad value is an error naming its source, key and value.</summary>
internal sealed class SettingsParser(ConfigLayers layers)
{
    private static readonly string[] TrueWords = ["true", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "no", "off", "0"];

    public Dictionary<string, string> UsedSources { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file or variable that set <paramref name="key"/>, or null when no layer did.</summary>
    public string? SourceOf(string key) => layers.Values.TryGetValue(key, out var entry) ? entry.Source : null;

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

    /// <summary>One of <paramref name="allowed"/> (any case, given back lowercase), or null when unset.</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var text = String(key);
        return text is null ? null
            : allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase)) ?? throw Bad(key, text, "one of " + string.Join(", ", allowed));
    }

    public decimal? Decimal(string key, decimal min, decimal max) => Parse(key, text =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (decimal?)null,
        $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");

    public long? Long(string key, long min, long max) => Parse(key, text =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (long?)null,
        $"a whole number from {min} to {max}");

    /// <summary>The [Prices] of every layer, model by model; a value that is no price is an error naming its file.</summary>
    public Dictionary<string, (Spending.ModelPrice Price, string Source)> Prices()
    {
        var prefix = ConfigLayers.PriceKey(string.Empty);
        var prices = new Dictionary<string, (Spending.ModelPrice, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, (value, source)) in layers.Values.Where(pair => pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && pair.Value.Value.Length > 0))
        {
            var model = key[prefix.Length..];
            prices[model] = (Spending.ModelCatalog.ParsePrice(value) ?? throw Bad(key, value, "input, cached input and output US dollars per million tokens, e.g. 0.15, 0.075, 0.60"), source);
        }

        return prices;
    }

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

        // why a value without '.', ':' or '/' is not shown: it is no host or URL, and what lands in OPENAI_BASE_URL by
        // mistake that way is most often the key meant for OPENAI_API_KEY
        var shown = text.AsSpan().IndexOfAny(".:/") >= 0 ? text : $"(not shown, {text.Length} characters: it may be a key)";
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw Bad(key, shown, "an absolute http:// or https:// URL");
    }

    public InvalidConfigurationException Bad(string key, string value, string expected)
    {
        var source = SourceOf(key) ?? "parameters";
        return new InvalidConfigurationException(
            $"Invalid value '{value}' for {key} in {Describe(source)}: expected {expected}. Fix or remove it.",
            source,
            key);
    }

    private static string Describe(string source) =>
        source.StartsWith("environment variable", StringComparison.Ordinal) ? source : $"config file '{source}'";
}

/// <summary>A setting is missing or has a value that cannot be used; the message says where and how to fix it.</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>A bad or missing setting; <paramref name="message"/> names the file, key and value and says how to fix it.</summary>
    public InvalidConfigurationException(string message, string? source = null, string? key = null)
        : base(message)
    {
        Source = source;
        Key = key;
    }

    /// <summary>The file or environment variable that held the value.</summary>
    public new string? Source { get; }

    /// <summary>The config key at fault, when one is.</summary>
    public string? Key { get; }
}

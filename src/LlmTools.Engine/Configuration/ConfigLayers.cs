using Microsoft.Extensions.Configuration.Ini;

namespace LlmTools.Engine.Configuration;

/// <summary>
/// Raw key/value strings from every layer, later layers winning, each value remembering its source so an error
/// can name the file, key and value.
/// </summary>
internal sealed class ConfigLayers
{
    private readonly Dictionary<string, (string Value, string Source)> _values = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, (string Value, string Source)> Values => _values;

    public void AddIniFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        IDictionary<string, string?> raw;
        try
        {
            using var stream = File.OpenRead(full);
            raw = IniStreamConfigurationProvider.Read(stream);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidConfigurationException($"Cannot read config file '{full}': {ex.Message}", full);
        }

        foreach (var (sectionKey, value) in raw)
        {
            var separator = sectionKey.IndexOf(':');
            if (separator < 0 || !ConfigKeys.Sections.Contains(sectionKey[..separator], StringComparer.OrdinalIgnoreCase))
            {
                continue; // why: TinyTroupe files carry [Simulation], [Logging], ...; they are not ours
            }

            var key = sectionKey[(separator + 1)..];
            if (ConfigKeys.ForbiddenSecretKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidConfigurationException(
                    $"Config file '{full}' contains the secret key '{key}'. API keys never belong in config files: remove the line and set the environment variable {EnvironmentVariables.OpenAIApiKey} (or {EnvironmentVariables.AzureApiKey}), or pass -ApiKey.",
                    full,
                    key);
            }

            Set(key, value ?? string.Empty, full);
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
}

using System.Collections.Concurrent;
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
}

using System.Reflection;

namespace LlmTools.Engine.Configuration;

/// <summary>
/// Which config.ini keys are refused. A secret (anything named like a key, token or password) is always an error:
/// keys live in the environment. A typo is an error too when it can be told from a key of someone else: in [LlmTools],
/// our own section, every unknown key; in [OpenAI], which TinyTroupe shares with its own keys (REASONING_MODEL,
/// MAX_CONTENT_DISPLAY_LENGTH, ...), a key one or two letters from one of ours (TEMPRATURE, MAX_ATEMPTS). Why an error
/// and not a warning: a silently ignored TEMPRATURE=0 runs a whole batch at the default temperature, and the loader has
/// no log to warn through before the cmdlet decides anything.
/// </summary>
internal static class ConfigKeyCheck
{
    // why reflection: a key added to ConfigKeys is known here without a second list to keep in step
    private static readonly string[] Known = typeof(ConfigKeys)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    // why: MAX_TOKENS is a setting, not a token; only names that end like a credential are secrets
    private static readonly string[] SecretEndings = ["KEY", "_SECRET", "_TOKEN", "PASSWORD", "_PAT"];

    /// <summary>True when <paramref name="key"/> names a credential (API_KEY, OPENAI_KEY, AZURE_OPENAI_API_KEY, ...).</summary>
    public static bool LooksSecret(string key) =>
        ConfigKeys.ForbiddenSecretKeys.Contains(key, StringComparer.OrdinalIgnoreCase)
        || (!Known.Contains(key, StringComparer.OrdinalIgnoreCase) // why: a key of ours (API_KEY_SECRET names a vault entry) holds no secret
            && SecretEndings.Any(ending => key.EndsWith(ending, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Null when <paramref name="key"/> of <paramref name="section"/> may stand, else the error text for <paramref name="file"/>.</summary>
    public static string? Problem(string section, string key, string file)
    {
        if (Known.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var nearest = Known.Select(known => (Key: known, Distance: Distance(key.ToUpperInvariant(), known))).MinBy(pair => pair.Distance);
        var ours = section.Equals("LlmTools", StringComparison.OrdinalIgnoreCase);
        if (!ours && nearest.Distance > 2)
        {
            return null; // why: TinyTroupe's own keys in its [OpenAI] section are none of our business
        }

        var hint = nearest.Distance <= 2 ? $" Did you mean {nearest.Key}?" : $" Known keys: {string.Join(", ", Known.Order(StringComparer.Ordinal))}.";
        return $"Config file '{file}' has the unknown key '{key}' in [{section}].{hint} Fix or remove it.";
    }

    // why Levenshtein: one letter dropped, doubled or swapped is the typo people make in a key
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

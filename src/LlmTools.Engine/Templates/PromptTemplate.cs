using System.Text.RegularExpressions;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Templates;

/// <summary>
/// A prompt with <c>{{Name}}</c> placeholders (TinyTroupe's templates, mustache-style), filled per pipeline
/// item from -Variables or the item's properties. A placeholder without a value is an error naming it.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly string _text;

    /// <summary>Parses the placeholders of <paramref name="text"/>.</summary>
    public PromptTemplate(string text)
    {
        _text = text;
        Names = Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Placeholder names in order of first use.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Fills the placeholders; <paramref name="lookup"/> answers (found, value) for a name.</summary>
    public string Render(Func<string, (bool Found, string? Value)> lookup)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var name in Names)
        {
            var (found, value) = lookup(name);
            if (found)
            {
                values[name] = value ?? string.Empty;
            }
            else
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(n => "{{" + n + "}}"));
            throw new LlmException(
                LlmErrorId.TemplateVariableMissing,
                $"No value for template placeholder {list}. Pass -Variables @{{ {missing[0]} = '...' }} or pipe objects that have a '{missing[0]}' property.");
        }

        return Placeholder().Replace(_text, m => values[m.Groups[1].Value]);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}

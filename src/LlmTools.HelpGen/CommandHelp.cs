using System.Text.RegularExpressions;

namespace LlmTools.HelpGen;

public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks);

public sealed record HelpParameter(string Name, int Line, IReadOnlyList<string> Description, string? DefaultValue);

public sealed record HelpType(string TypeName, IReadOnlyList<string> Description);

public sealed record HelpLink(string Text, string Uri);

/// <summary>What a person wrote about one cmdlet in help/&lt;Verb-Noun&gt;.md.</summary>
public sealed record CommandHelp(
    string File,
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<HelpExample> Examples,
    IReadOnlyList<HelpParameter> Parameters,
    IReadOnlyList<HelpType> Inputs,
    IReadOnlyList<HelpType> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<HelpLink> Links)
{
    /// <summary>The sections a cmdlet's help file has; SYNTAX may be there too but is made from the cmdlet.</summary>
    public static readonly string[] Sections = ["SYNOPSIS", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly Regex LinkItem = new(@"^[-*]\s+(?:\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)|(?<plain>\S.*))$");

    /// <summary>Reads a cmdlet's help file; problems go to <paramref name="errors"/> with the file and line.</summary>
    public static CommandHelp Read(string file, List<HelpError> errors)
    {
        var title = Markdown.Parse(file, System.IO.File.ReadAllLines(file), errors);
        var sections = new Dictionary<string, MarkdownSection>(StringComparer.Ordinal);
        foreach (var section in title.Children)
        {
            if (section.Title == "SYNTAX")
            {
                continue;
            }

            if (!Sections.Contains(section.Title))
            {
                errors.Add(new HelpError(file, section.Line, $"unknown section '## {section.Title}'; a cmdlet's help has {string.Join(", ", Sections.Select(s => "## " + s))}"));
            }
            else if (!sections.TryAdd(section.Title, section))
            {
                errors.Add(new HelpError(file, section.Line, $"section '## {section.Title}' appears twice"));
            }
        }

        foreach (var missing in Sections.Where(s => !sections.ContainsKey(s)))
        {
            errors.Add(new HelpError(file, 0, $"missing section '## {missing}'"));
        }

        MarkdownSection Get(string name) => sections.GetValueOrDefault(name) ?? new MarkdownSection(2, name, 0);

        var synopsis = string.Join(" ", Prose(file, Get("SYNOPSIS"), errors, required: true));
        return new CommandHelp(
            file,
            title.Title,
            synopsis,
            Prose(file, Get("DESCRIPTION"), errors, required: true),
            ReadExamples(file, Get("EXAMPLES"), errors),
            ReadParameters(file, Get("PARAMETERS"), errors),
            Types(file, Get("INPUTS"), errors),
            Types(file, Get("OUTPUTS"), errors),
            Prose(file, Get("NOTES"), errors, required: false),
            ReadLinks(file, Get("RELATED LINKS"), errors));
    }

    /// <summary>Paragraphs; a fenced block becomes one paragraph that keeps its line breaks.</summary>
    private static List<string> Prose(string file, MarkdownSection section, List<HelpError> errors, bool required)
    {
        NoSubsections(file, section, errors);
        var paragraphs = Markdown.Blocks(section.Body).Select(b => b.Text).ToList();
        if (required && paragraphs.Count == 0 && section.Line > 0)
        {
            errors.Add(new HelpError(file, section.Line, $"section '## {section.Title}' is empty"));
        }

        return paragraphs;
    }

    private static List<HelpExample> ReadExamples(string file, MarkdownSection section, List<HelpError> errors)
    {
        StrayText(file, section, errors, "### <Example title>");
        var examples = new List<HelpExample>();
        foreach (var example in section.Children)
        {
            var blocks = Markdown.Blocks(example.Body);
            var code = blocks.Where(b => b.IsFence).ToList();
            if (code.Count != 1 || !blocks[0].IsFence)
            {
                errors.Add(new HelpError(file, example.Line, $"example '{example.Title}' needs exactly one ```powershell code block, first, with its remarks after it"));
                continue;
            }

            var remarks = blocks.Skip(1).Select(b => b.Text).ToList();
            if (remarks.Count == 0)
            {
                errors.Add(new HelpError(file, example.Line, $"example '{example.Title}' has no remarks after its code; say what it does"));
            }

            examples.Add(new HelpExample(example.Title, code[0].Text, remarks));
        }

        if (examples.Count == 0 && section.Line > 0)
        {
            errors.Add(new HelpError(file, section.Line, "no examples; add '### Example 1: ...' with a ```powershell block and remarks"));
        }

        return examples;
    }

    private static List<HelpParameter> ReadParameters(string file, MarkdownSection section, List<HelpError> errors)
    {
        StrayText(file, section, errors, "### -<Name>");
        var parameters = new List<HelpParameter>();
        foreach (var parameter in section.Children)
        {
            if (!parameter.Title.StartsWith('-') || parameter.Title.Length < 2 || parameter.Title.Contains(' '))
            {
                errors.Add(new HelpError(file, parameter.Line, $"parameter heading '### {parameter.Title}' should read '### -<Name>'"));
                continue;
            }

            var name = parameter.Title[1..];
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new HelpError(file, parameter.Line, $"parameter -{name} is documented twice"));
                continue;
            }

            string? defaultValue = null;
            var description = new List<string>();
            foreach (var block in Markdown.Blocks(parameter.Body))
            {
                if (block.FenceInfo == "yaml")
                {
                    defaultValue = ParameterYaml(file, name, block, errors) ?? defaultValue;
                }
                else
                {
                    description.Add(block.Text);
                }
            }

            if (description.Count == 0)
            {
                errors.Add(new HelpError(file, parameter.Line, $"parameter -{name} has no description"));
            }

            parameters.Add(new HelpParameter(name, parameter.Line, description, defaultValue));
        }

        return parameters;
    }

    /// <summary>
    /// The one thing about a parameter that its attributes cannot tell: its default. Type, position, sets, aliases,
    /// pipeline input and wildcards come from the cmdlet, so they cannot go stale here.
    /// </summary>
    private static string? ParameterYaml(string file, string parameter, MarkdownBlock block, List<HelpError> errors)
    {
        string? defaultValue = null;
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var colon = line.IndexOf(':');
            if (line.Length == 0)
            {
                continue;
            }

            if (colon > 0 && line[..colon] == "Default value")
            {
                defaultValue = line[(colon + 1)..].Trim();
            }
            else
            {
                var key = colon > 0 ? line[..colon] : line;
                errors.Add(new HelpError(file, block.Line + 1 + i, $"-{parameter}: '{key}' in the yaml block; only 'Default value' goes there, the rest (type, position, pipeline input, ...) comes from the cmdlet"));
            }
        }

        return defaultValue;
    }

    private static List<HelpType> Types(string file, MarkdownSection section, List<HelpError> errors)
    {
        StrayText(file, section, errors, "### <Type name>");
        if (section.Children.Count == 0 && section.Line > 0)
        {
            errors.Add(new HelpError(file, section.Line, $"section '## {section.Title}' lists no types; add '### <Type name>' (or '### None')"));
        }

        return section.Children.Select(t => new HelpType(t.Title, Markdown.Blocks(t.Body).Select(b => b.Text).ToList())).ToList();
    }

    private static List<HelpLink> ReadLinks(string file, MarkdownSection section, List<HelpError> errors)
    {
        NoSubsections(file, section, errors);
        var links = new List<HelpLink>();
        foreach (var line in section.Body.Where(l => l.Text.Trim().Length > 0))
        {
            var match = LinkItem.Match(line.Text.Trim());
            if (!match.Success)
            {
                errors.Add(new HelpError(file, line.Number, "a related link is a list item: '- [Name](Name.md)', '- [Text](https://...)' or '- Name'"));
            }
            else if (match.Groups["plain"].Success)
            {
                links.Add(new HelpLink(match.Groups["plain"].Value.Trim(), string.Empty));
            }
            else
            {
                // why: a link to a sibling .md reads well on GitHub; Get-Help wants a web address or nothing
                var uri = match.Groups["uri"].Value;
                links.Add(new HelpLink(match.Groups["text"].Value, IsWebAddress(uri) ? uri : string.Empty));
            }
        }

        return links;
    }

    private static bool IsWebAddress(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp);

    private static void NoSubsections(string file, MarkdownSection section, List<HelpError> errors)
    {
        foreach (var child in section.Children)
        {
            errors.Add(new HelpError(file, child.Line, $"'### {child.Title}' does not belong in '## {section.Title}'"));
        }
    }

    private static void StrayText(string file, MarkdownSection section, List<HelpError> errors, string expected)
    {
        if (section.Body.FirstOrDefault(l => l.Text.Trim().Length > 0) is { } stray)
        {
            errors.Add(new HelpError(file, stray.Number, $"text directly under '## {section.Title}'; put it under a '{expected}' heading"));
        }
    }
}

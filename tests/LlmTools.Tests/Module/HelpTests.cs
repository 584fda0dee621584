using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Xml.Linq;
using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

/// <summary>
/// Get-Help works for the built module as a user meets it: every exported cmdlet (whatever the manifest exports
/// today) has a synopsis, examples and a description for each parameter, and about_LlmTools is found.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

    private readonly ModuleRunspace _ps = new();

    private string HelpFile => Path.Combine(RepoPaths.ModuleDirectory, "en-US", "LlmTools.dll-Help.xml");

    [Fact]
    public void Every_exported_cmdlet_has_a_synopsis_and_at_least_two_examples()
    {
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var help = Single(_ps.Invoke("Get-Help $args[0] -Full", cmdlet.Name), cmdlet.Name);
            var synopsis = help.Properties["Synopsis"]?.Value?.ToString()?.Trim() ?? string.Empty;

            // why: without a help file Get-Help makes up a synopsis from the syntax ("Send-LlmMessage [-Prompt] ...")
            if (synopsis.Length == 0 || synopsis.StartsWith(cmdlet.Name, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name}: no synopsis (got '{synopsis}')");
            }

            var examples = Items(Property(help, "examples", "example")).ToList();
            if (examples.Count < 2)
            {
                problems.Add($"{cmdlet.Name}: {examples.Count} examples, want at least 2");
            }

            foreach (var example in examples)
            {
                if (string.IsNullOrWhiteSpace(Property(example, "code")?.ToString()) || Text(Property(example, "remarks")).Length == 0)
                {
                    problems.Add($"{cmdlet.Name}: example '{Property(example, "title")}' lacks code or remarks");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_parameter_of_every_exported_cmdlet_has_a_description()
    {
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            foreach (var parameter in DocumentedParameters(cmdlet))
            {
                // why: -Parameter is the user's way in (Get-Help Get-LlmEmbedding -Parameter BatchSize)
                var result = _ps.Invoke("Get-Help $args[0] -Parameter $args[1]", cmdlet.Name, parameter);
                var help = result.Output.Count == 1 ? result.Output[0] : null;
                var description = Text(help is null ? null : Property(help, "description"));
                if (help is null || description.Length == 0)
                {
                    problems.Add($"{cmdlet.Name} -{parameter}: no description in help {result.ErrorIds()}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_syntax_lists_exactly_the_parameters_of_each_cmdlet()
    {
        // why: help written for a parameter that was renamed or removed would document a parameter users cannot pass
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var expected = DocumentedParameters(cmdlet).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var help = Single(_ps.Invoke("Get-Help $args[0] -Full", cmdlet.Name), cmdlet.Name);
            var documented = Items(Property(help, "parameters", "parameter"))
                .Select(p => Property(p, "name")?.ToString() ?? string.Empty)
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (!expected.SequenceEqual(documented, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name}: cmdlet has [{string.Join(", ", expected)}], help has [{string.Join(", ", documented)}]");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Example_code_parses()
    {
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var help = Single(_ps.Invoke("Get-Help $args[0] -Full", cmdlet.Name), cmdlet.Name);
            foreach (var example in Items(Property(help, "examples", "example")))
            {
                Parser.ParseInput(Property(example, "code")?.ToString() ?? string.Empty, out _, out var errors);
                problems.AddRange(errors.Select(e => $"{cmdlet.Name} '{Property(example, "title")}': {e.Message} at '{e.Extent.Text}'"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_file_covers_the_cache_cmdlets_too()
    {
        // why: Get-LlmCache and Clear-LlmCache may be exported only after a merge; their help ships either way
        var names = XDocument.Load(HelpFile).Descendants(Command + "details").Select(d => (string?)d.Element(Command + "name")).ToList();

        Assert.All(["Send-LlmMessage", "Get-LlmEmbedding", "Measure-LlmTokens", "Get-LlmCache", "Clear-LlmCache"], name => Assert.Contains(name, names));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(
            XDocument.Load(HelpFile).Descendants(Command + "parameter"),
            p => Assert.False(string.IsNullOrWhiteSpace(p.Element(Maml + "description")?.Value), (string?)p.Element(Maml + "name")));
    }

    [Fact]
    public void About_topic_is_found_and_covers_configuration_cache_and_errors()
    {
        var result = _ps.Invoke("Get-Help about_LlmTools");
        var text = string.Concat(result.Output.Select(o => o.ToString()));

        Assert.Empty(result.Errors);
        Assert.Contains("about_LlmTools", text, StringComparison.Ordinal);
        Assert.Contains("LLMTOOLS_CONFIG", text, StringComparison.Ordinal);
        Assert.Contains("CACHE_MODE", text, StringComparison.Ordinal);
        Assert.Contains("RateLimited", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_exported_cmdlet_links_to_its_markdown_help_online()
    {
        // why: Get-Help -Online and the RELATED LINKS line both lead to the markdown the help is built from
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var expected = $"https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/{cmdlet.Name}.md";
            var helpUri = string.Concat(_ps.Invoke("(Get-Command $args[0]).HelpUri", cmdlet.Name).Output);
            if (helpUri != expected)
            {
                problems.Add($"{cmdlet.Name}: HelpUri is '{helpUri}', want '{expected}'");
            }

            if (!File.Exists(Path.Combine(RepoPaths.Root, "src", "LlmTools", "help", cmdlet.Name + ".md")))
            {
                problems.Add($"{cmdlet.Name}: HelpUri points at a file the repository does not have");
            }

            var help = Single(_ps.Invoke("Get-Help $args[0] -Full", cmdlet.Name), cmdlet.Name);
            var uris = Items(Property(help, "relatedLinks", "navigationLink")).Select(l => Property(l, "uri")?.ToString()).ToList();
            if (!uris.Contains(expected))
            {
                problems.Add($"{cmdlet.Name}: RELATED LINKS lack the online version ({string.Join(", ", uris)})");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_syntax_matches_each_parameter_set_of_the_cmdlet()
    {
        // why: syntax is generated from the cmdlet's attributes; it must say what PowerShell itself would bind
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var visible = DocumentedParameters(cmdlet).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var expected = cmdlet.ParameterSets
                .Select(set => Describe(set.Parameters.Where(p => visible.Contains(p.Name)).Select(p => (p.Name, p.IsMandatory, p.Position == int.MinValue ? "named" : p.Position.ToString(CultureInfo.InvariantCulture)))))
                .Order(StringComparer.Ordinal)
                .ToList();

            var help = Single(_ps.Invoke("Get-Help $args[0] -Full", cmdlet.Name), cmdlet.Name);
            var documented = Items(Property(help, "syntax", "syntaxItem"))
                .Select(item => Describe(Items(Property(item, "parameter")).Select(p => (
                    Property(p, "name")?.ToString() ?? string.Empty,
                    string.Equals(Property(p, "required")?.ToString(), "true", StringComparison.OrdinalIgnoreCase),
                    Property(p, "position")?.ToString() ?? string.Empty))))
                .Order(StringComparer.Ordinal)
                .ToList();

            if (!expected.SequenceEqual(documented))
            {
                problems.Add($"{cmdlet.Name}:\n  cmdlet {string.Join("\n         ", expected)}\n  help   {string.Join("\n         ", documented)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        static string Describe(IEnumerable<(string Name, bool Required, string Position)> parameters) =>
            string.Join(" ", parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => $"{p.Name}:{(p.Required ? "required" : "optional")}:{p.Position}"));
    }

    [Fact]
    public void Generated_help_file_describes_every_parameter_of_every_cmdlet()
    {
        var help = XDocument.Load(HelpFile);
        var problems = new List<string>();
        foreach (var cmdlet in ExportedCmdlets())
        {
            var command = help.Descendants(Command + "command").SingleOrDefault(c => (string?)c.Element(Command + "details")?.Element(Command + "name") == cmdlet.Name);
            if (command is null)
            {
                problems.Add($"{cmdlet.Name}: not in {HelpFile}");
                continue;
            }

            var described = command.Element(Command + "parameters")!.Elements(Command + "parameter")
                .Where(p => !string.IsNullOrWhiteSpace(p.Element(Maml + "description")?.Value))
                .Select(p => (string?)p.Element(Maml + "name"))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            problems.AddRange(DocumentedParameters(cmdlet).Where(p => !described.Contains(p)).Select(p => $"{cmdlet.Name} -{p}: no description in the generated MAML"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void About_topic_is_generated_next_to_the_cmdlet_help_and_lists_every_cmdlet()
    {
        var about = Path.Combine(RepoPaths.ModuleDirectory, "en-US", "about_LlmTools.help.txt");
        var text = File.ReadAllText(about);

        Assert.StartsWith("TOPIC\n    about_LlmTools\n", text, StringComparison.Ordinal);
        Assert.Contains("\nSHORT DESCRIPTION\n", text, StringComparison.Ordinal);
        Assert.All(ExportedCmdlets(), cmdlet => Assert.Contains(cmdlet.Name, text, StringComparison.Ordinal));
        var shown = string.Concat(_ps.Invoke("Get-Help about_LlmTools").Output.Select(o => o.ToString()));
        Assert.Contains("SHORT DESCRIPTION", shown, StringComparison.Ordinal);
    }

    public void Dispose() => _ps.Dispose();

    private IReadOnlyList<CmdletInfo> ExportedCmdlets()
    {
        var cmdlets = _ps.Invoke("Get-Command -Module LlmTools -CommandType Cmdlet").Objects<CmdletInfo>();
        Assert.NotEmpty(cmdlets);
        return cmdlets;
    }

    /// <summary>The parameters help must describe: all but the common ones and those hidden with DontShow.</summary>
    private static IEnumerable<string> DocumentedParameters(CmdletInfo cmdlet) => cmdlet.Parameters.Values
        .Where(p => !Cmdlet.CommonParameters.Contains(p.Name))
        .Where(p => !p.Attributes.OfType<ParameterAttribute>().All(a => a.DontShow))
        .Select(p => p.Name);

    private static PSObject Single(ScriptResult result, string what)
    {
        Assert.True(result.Output.Count == 1, $"Get-Help {what}: {result.Output.Count} objects, errors: {result.AllText()}");
        return result.Output[0];
    }

    private static object? Property(object? value, params string[] path)
    {
        foreach (var name in path)
        {
            value = value is null ? null : PSObject.AsPSObject(value).Properties[name]?.Value;
        }

        return value;
    }

    /// <summary>One item, or each item of a collection, as PowerShell would enumerate it.</summary>
    private static IEnumerable<object> Items(object? value)
    {
        if (value is null)
        {
            yield break;
        }

        var enumerable = LanguagePrimitives.GetEnumerable(value);
        if (enumerable is null)
        {
            yield return value;
            yield break;
        }

        foreach (var item in enumerable)
        {
            if (item is not null)
            {
                yield return item;
            }
        }
    }

    /// <summary>The text of a MAML description: its paragraphs' Text properties, joined.</summary>
    private static string Text(object? paragraphs) =>
        string.Join("\n", Items(paragraphs).Select(p => Property(p, "Text")?.ToString() ?? p.ToString())).Trim();
}

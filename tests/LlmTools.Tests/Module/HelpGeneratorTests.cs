using System.Management.Automation;
using System.Runtime.InteropServices;
using LlmTools.HelpGen;
using LlmTools.Tests.Hosting;

namespace LlmTools.Tests.Module;

/// <summary>
/// The help generator keeps the markdown true to the cmdlets: a help file that misses a parameter, names one the
/// cmdlet lacks or lacks a section fails the build, and says which file and parameter.
/// </summary>
public sealed class HelpGeneratorTests : IDisposable
{
    private static readonly string SourceHelp = Path.Combine(RepoPaths.Root, "src", "LlmTools", "help");

    private readonly string _help = Path.Combine(Path.GetTempPath(), "llmtools-help-" + Guid.NewGuid().ToString("N"));

    public HelpGeneratorTests()
    {
        Directory.CreateDirectory(_help);
        foreach (var file in Directory.GetFiles(SourceHelp, "*.md"))
        {
            File.Copy(file, Path.Combine(_help, Path.GetFileName(file)));
        }
    }

    private static string CmdletAssembly => Path.Combine(RepoPaths.ModuleDirectory, "LlmTools.dll");

    /// <summary>What the cmdlet assembly needs to be read: this runtime's assemblies and PowerShell's.</summary>
    private static IEnumerable<string> References =>
        Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Append(typeof(PSObject).Assembly.Location)
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.ModuleDirectory, "Dependencies"), "*.dll"));

    [Fact]
    public void The_built_module_carries_the_help_the_markdown_gives()
    {
        var output = Generate();

        Assert.Empty(output.Errors);
        Assert.Equal(output.Maml, File.ReadAllText(Path.Combine(RepoPaths.ModuleDirectory, "en-US", "LlmTools.dll-Help.xml")));
        Assert.Equal(output.AboutTopics["about_LlmTools"], File.ReadAllText(Path.Combine(RepoPaths.ModuleDirectory, "en-US", "about_LlmTools.help.txt")));
    }

    [Fact]
    public void A_parameter_left_undocumented_fails_naming_the_file_and_parameter()
    {
        Edit("Get-LlmEmbedding.md", text => RemoveSubsection(text, "### -Dimensions"));

        var error = Assert.Single(Generate().Errors);

        Assert.EndsWith("Get-LlmEmbedding.md", error.File, StringComparison.Ordinal);
        Assert.Contains("-Dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("not documented", error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-LlmEmbedding.md: error LLMHELP: parameter -Dimensions of Get-LlmEmbedding", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parameter_fails_at_its_line()
    {
        Edit("Get-LlmCache.md", text => text.Replace("## INPUTS", "### -Since\n\nOnly entries newer than this.\n\n## INPUTS", StringComparison.Ordinal));
        var line = Array.IndexOf(File.ReadAllLines(Path.Combine(_help, "Get-LlmCache.md")), "### -Since") + 1;

        var error = Assert.Single(Generate().Errors);

        Assert.Equal(line, error.Line);
        Assert.Contains("-Since is not a parameter of Get-LlmCache", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-LlmCache.md({line}): error LLMHELP:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_section_fails()
    {
        Edit("Measure-LlmTokens.md", text => RemoveSection(text, "## EXAMPLES"));

        var errors = Generate().Errors;

        Assert.Contains(errors, e => e.File.EndsWith("Measure-LlmTokens.md", StringComparison.Ordinal) && e.Message == "missing section '## EXAMPLES'");
    }

    [Fact]
    public void Parameter_facts_the_cmdlet_knows_are_refused_in_the_markdown()
    {
        // why: a type or position written in the markdown would go stale; only the default value belongs there
        Edit("Get-LlmCache.md", text => text.Replace("### -Kind\n", "### -Kind\n\n```yaml\nType: String\n```\n", StringComparison.Ordinal));

        var error = Assert.Single(Generate().Errors);

        Assert.Contains("-Kind: 'Type' in the yaml block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_cmdlet_needs_a_help_file_and_every_help_file_a_cmdlet()
    {
        File.Move(Path.Combine(_help, "Clear-LlmCache.md"), Path.Combine(_help, "Clear-LlmCaches.md"));

        var errors = Generate().Errors;

        Assert.Contains(errors, e => e.Message.StartsWith("cmdlet Clear-LlmCache", StringComparison.Ordinal) && e.Message.Contains("no help file", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.File.EndsWith("Clear-LlmCaches.md", StringComparison.Ordinal) && e.Message.StartsWith("no cmdlet Clear-LlmCaches", StringComparison.Ordinal));
    }

    [Fact]
    public void An_example_without_code_or_remarks_fails()
    {
        Edit("Get-LlmCache.md", text => text.Replace("## PARAMETERS", "### Example 9: Nothing to see\n\nJust words.\n\n## PARAMETERS", StringComparison.Ordinal));

        var error = Assert.Single(Generate().Errors);

        Assert.Contains("'Example 9: Nothing to see' needs exactly one ```powershell code block", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void About_topic_without_its_description_fails()
    {
        Edit("about_LlmTools.md", text => text.Replace("## LONG DESCRIPTION", "## DESCRIPTION", StringComparison.Ordinal));

        var error = Assert.Single(Generate().Errors);

        Assert.EndsWith("about_LlmTools.md", error.File, StringComparison.Ordinal);
        Assert.Equal("missing section '## LONG DESCRIPTION'", error.Message);
    }

    [Fact]
    public void About_markdown_becomes_the_indented_text_Get_Help_shows()
    {
        var errors = new List<HelpError>();
        var text = AboutTopic.Convert(
            "/x/about_Demo.md",
            ["# about_Demo", "", "## SHORT DESCRIPTION", "A demo.", "", "## LONG DESCRIPTION", "Words.", "", "```powershell", "Get-Demo", "```", ""],
            errors);

        Assert.Empty(errors);
        Assert.Equal("TOPIC\n    about_Demo\n\nSHORT DESCRIPTION\n    A demo.\n\nLONG DESCRIPTION\n    Words.\n\n        Get-Demo\n", text);
    }

    public void Dispose() => Directory.Delete(_help, recursive: true);

    private HelpOutput Generate() => HelpGenerator.Generate(CmdletAssembly, References, _help);

    private void Edit(string file, Func<string, string> change)
    {
        var path = Path.Combine(_help, file);
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    /// <summary>The text without one ### subsection (up to the next heading of level 2 or 3).</summary>
    private static string RemoveSubsection(string text, string heading) => Remove(text, heading, ["\n### ", "\n## "]);

    private static string RemoveSection(string text, string heading) => Remove(text, heading, ["\n## "]);

    private static string Remove(string text, string heading, string[] ends)
    {
        var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, heading);
        var end = ends.Select(e => text.IndexOf(e, start + heading.Length, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(text.Length).Min();
        return text[..start] + text[(end + 1)..];
    }
}

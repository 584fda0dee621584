using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace LlmTools.Session;

/// <summary>What a command's help says, for its tool definition: the synopsis and each parameter's description.</summary>
/// <param name="Synopsis">The command's synopsis; null when it has no help of its own.</param>
/// <param name="Parameters">Each documented parameter's description, by name (any case).</param>
internal sealed record ToolHelp(string? Synopsis, IReadOnlyDictionary<string, string> Parameters)
{
    // why: OpenAI takes longer descriptions, yet each tool's text is sent (and billed) with every request
    private const int MaxDescription = 1024;

    /// <summary>Comment-based help for functions and scripts (read from their syntax tree, no Get-Help); Get-Help for cmdlets.</summary>
    public static ToolHelp For(CommandInfo command, PSCmdlet cmdlet)
    {
        var ast = command switch
        {
            FunctionInfo function => function.ScriptBlock.Ast,
            ExternalScriptInfo script => script.ScriptBlock.Ast,
            _ => null,
        };
        if (ast is not null)
        {
            var help = ast switch
            {
                FunctionDefinitionAst definition => definition.GetHelpContent(),
                ScriptBlockAst block => block.GetHelpContent(),
                _ => null,
            };
            var parameters = help?.Parameters.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.OrdinalIgnoreCase) ?? [];
            return new ToolHelp(Shorten(help?.Synopsis ?? help?.Description), parameters);
        }

        return FromGetHelp(command, cmdlet);
    }

    private static ToolHelp FromGetHelp(CommandInfo command, PSCmdlet cmdlet)
    {
        PSObject? help;
        try
        {
            help = cmdlet.InvokeCommand.InvokeScript(
                useLocalScope: true, ScriptBlock.Create("param($name) Get-Help -Name $name -Full -ErrorAction Ignore"), input: null, command.Name).FirstOrDefault();
        }
        catch (RuntimeException)
        {
            help = null; // why: a tool without help still works; the model sees names and types
        }

        var synopsis = help?.Properties["Synopsis"]?.Value?.ToString()?.Trim();

        // why: without a help file Get-Help makes up a synopsis from the syntax, which tells the model nothing new
        if (synopsis is null || synopsis.StartsWith(command.Name, StringComparison.OrdinalIgnoreCase))
        {
            synopsis = null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = help?.Properties["parameters"]?.Value is { } p ? PSObject.AsPSObject(p).Properties["parameter"]?.Value : null;
        foreach (var parameter in list is IEnumerable items and not string ? items.Cast<object>() : list is null ? [] : [list])
        {
            var entry = PSObject.AsPSObject(parameter);
            var name = entry.Properties["name"]?.Value?.ToString();
            var text = Text(entry.Properties["description"]?.Value);
            if (name is not null && !string.IsNullOrWhiteSpace(text))
            {
                parameters[name] = text.Trim();
            }
        }

        return new ToolHelp(Shorten(synopsis), parameters);
    }

    // why: a description is a list of paragraphs, each with a Text property
    private static string? Text(object? description) => description switch
    {
        null => null,
        IEnumerable items and not string => string.Join("\n", items.Cast<object>().Select(i => PSObject.AsPSObject(i).Properties["Text"]?.Value?.ToString())),
        _ => PSObject.AsPSObject(description).Properties["Text"]?.Value?.ToString() ?? description.ToString(),
    };

    private static string? Shorten(string? text)
    {
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length <= MaxDescription ? text : text[..(MaxDescription - 3)] + "...";
    }
}

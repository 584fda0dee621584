using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;

namespace LlmTools.Session;

/// <summary>A tool as Send-LlmMessage holds it: the definition the model sees, the command that runs a call, and whether it asks first.</summary>
/// <param name="Definition">What is sent to the model.</param>
/// <param name="Command">What runs a call (a cmdlet, function or script; a script block is wrapped as a function).</param>
/// <param name="ChangesState">True when the command's verb may change state: each call is confirmed unless -AllowStateChange.</param>
internal sealed record PowerShellTool(ToolDefinition Definition, CommandInfo Command, bool ChangesState)
{
    /// <summary>
    /// The parameters a call may pass: the schema's properties, never a common parameter. Why a call is held to them:
    /// PowerShell would bind any parameter the model names (-Confirm:$false, another parameter set's -Purge, an
    /// abbreviation), none of which the user offered.
    /// </summary>
    public IReadOnlySet<string> Parameters { get; } = SchemaProperties(Definition.ParametersSchema);

    private static HashSet<string> SchemaProperties(string schema) =>
        (JsonNode.Parse(schema)?["properties"] as JsonObject ?? [])
            .Select(p => p.Key)
            .Where(name => !Cmdlet.CommonParameters.Contains(name) && !Cmdlet.OptionalCommonParameters.Contains(name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Builds tools from what -Tool takes: commands (Get-Command output or names), script blocks with a param() block
/// (bare, or named in a hashtable @{ name = { param(...) } }), and explicit definitions (OpenAI's
/// @{ type = 'function'; function = @{ name; description; parameters } } shape, or its JSON) with the command or
/// script block that runs them.
/// </summary>
internal static partial class ToolCatalog
{
    // why these: verbs that only read or compute; any other verb (Set, Remove, Stop, Invoke, New, ...) may change state
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Test", "Measure", "Find", "Search", "Resolve", "Select", "Show", "Read", "Format", "ConvertTo", "ConvertFrom", "Compare",
    };

    // why: a model cannot pass a script block or a credential, and must not be handed a way to run code of its own
    private static readonly Type[] RefusedTypes = [typeof(ScriptBlock), typeof(PSCredential), typeof(System.Security.SecureString)];

    /// <summary>The tools, in the order given; a bad one is an InvalidInput error that names it.</summary>
    public static IReadOnlyList<PowerShellTool> Build(IEnumerable<object> items, PSCmdlet cmdlet)
    {
        var tools = new List<PowerShellTool>();
        foreach (var item in items)
        {
            var value = item is PSObject pso ? pso.BaseObject : item;
            switch (value)
            {
                case CommandInfo command:
                    tools.Add(FromCommand(command, cmdlet));
                    break;
                case ScriptBlock block:
                    tools.Add(FromScriptBlock($"script_block_{tools.Count + 1}", block, description: null, cmdlet));
                    break;
                case string text when text.TrimStart().StartsWith('{'):
                    tools.Add(FromDefinition(JsonConversion.ToPowerShell(text) as PSObject ?? throw Invalid("A -Tool JSON definition must be an object."), cmdlet));
                    break;
                case string name:
                    tools.Add(FromCommand(cmdlet.InvokeCommand.GetCommand(name, CommandTypes.All) ?? throw Invalid($"-Tool '{name}': no command of that name is loaded."), cmdlet));
                    break;
                case IDictionary map when Fields.Lookup(map, "function") is not null || Fields.Lookup(map, "parameters") is not null || Fields.Lookup(map, "name") is not null:
                    tools.Add(FromDefinition(map, cmdlet));
                    break;
                case IDictionary map:
                    foreach (DictionaryEntry entry in map)
                    {
                        var block = (entry.Value is PSObject p ? p.BaseObject : entry.Value) as ScriptBlock
                            ?? throw Invalid($"-Tool @{{ {entry.Key} = ... }}: the value must be a script block with a param() block.");
                        tools.Add(FromScriptBlock(entry.Key?.ToString() ?? string.Empty, block, description: null, cmdlet));
                    }

                    break;
                default:
                    throw Invalid($"-Tool takes commands (Get-Command), script blocks, or definitions (hashtables or JSON); got {value?.GetType().Name ?? "null"}.");
            }
        }

        if (tools.GroupBy(t => t.Definition.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Invalid($"Two tools are named '{twice.Key}'; each tool needs its own name.");
        }

        return tools;
    }

    private static PowerShellTool FromCommand(CommandInfo command, PSCmdlet cmdlet, string? name = null, string? description = null, string? schema = null, bool? changesState = null)
    {
        command = command is AliasInfo alias ? alias.ResolvedCommand ?? throw Invalid($"-Tool '{alias.Name}': the alias points to no command.") : command;
        if (command is not (CmdletInfo or FunctionInfo or ExternalScriptInfo))
        {
            throw Invalid($"-Tool '{command.Name}' is a {command.CommandType}; tools are cmdlets, functions, scripts or script blocks, whose parameters say what the model may pass.");
        }

        name ??= command.Name;
        if (!ToolName().IsMatch(name))
        {
            throw Invalid($"-Tool '{name}': a tool's name has 1 to 64 letters, digits, _ or -.");
        }

        var help = ToolHelp.For(command, cmdlet);
        bool? strict = null;
        if (schema is null)
        {
            var parameters = Parameters(command, help.Parameters);
            (schema, var canBeStrict) = ToolSchema.For(parameters);
            strict = canBeStrict;
        }

        var verb = command is CmdletInfo cmdletInfo ? cmdletInfo.Verb : command.Name.Split('-', 2) is [var v, _] ? v : string.Empty;
        return new PowerShellTool(
            new ToolDefinition(name, description ?? help.Synopsis, schema, strict),
            command,
            changesState ?? !ReadOnlyVerbs.Contains(verb));
    }

    // why wrapped as a function: the function's metadata gives the same parameter view a command has
    private static PowerShellTool FromScriptBlock(string name, ScriptBlock block, string? description, PSCmdlet cmdlet, string? schema = null)
    {
        if (block.Ast is ScriptBlockAst { ParamBlock: null })
        {
            throw Invalid($"-Tool '{name}': the script block needs a param() block, so the model knows what to pass (e.g. {{ param([string]$City) ... }}).");
        }

        var wrap = ScriptBlock.Create("param($__block) $function:__llmtool = $__block; Get-Command -Name __llmtool -CommandType Function");
        var function = cmdlet.InvokeCommand.InvokeScript(useLocalScope: true, wrap, input: null, block).Select(o => o.BaseObject).OfType<FunctionInfo>().Single();

        // why not state-changing: the user wrote the script block on this command line, so it does what they meant
        return FromCommand(function, cmdlet, name, description, schema, changesState: false);
    }

    private static PowerShellTool FromDefinition(object definition, PSCmdlet cmdlet)
    {
        var function = Fields.Of(definition, "function") ?? definition;
        var name = Fields.Of(function, "name")?.ToString() ?? throw Invalid("A -Tool definition needs a name (@{ name = '...'; description = '...'; parameters = @{ ... } }).");
        var description = Fields.Of(function, "description")?.ToString();
        var strict = Fields.Of(function, "strict") ?? Fields.Of(definition, "strict");
        var parameters = Fields.Of(function, "parameters");
        var schema = parameters is null ? null : JsonConversion.ToJson(parameters);
        if (schema is not null && JsonNode.Parse(schema) is not JsonObject)
        {
            throw Invalid($"-Tool '{name}': parameters must be a JSON schema object.");
        }

        // why: a definition is only the model's view; something here must run its calls
        var tool = Fields.Of(definition, "scriptblock", "command") switch
        {
            ScriptBlock block => FromScriptBlock(name, block, description, cmdlet, schema),
            CommandInfo command => FromCommand(command, cmdlet, name, description, schema),
            string commandName => FromCommand(cmdlet.InvokeCommand.GetCommand(commandName, CommandTypes.All) ?? throw Invalid($"-Tool '{name}': no command '{commandName}' is loaded."), cmdlet, name, description, schema),
            null when cmdlet.InvokeCommand.GetCommand(name, CommandTypes.All) is { } command => FromCommand(command, cmdlet, name, description, schema),
            _ => throw Invalid($"-Tool '{name}' has a definition but nothing to run it: add ScriptBlock = {{ param(...) ... }} or Command = '<name>'."),
        };

        // why false, not unset, without a strict of its own: the Responses API reads a missing strict as true, which a
        // hand-written schema with optional properties would fail
        return schema is null ? tool : tool with { Definition = tool.Definition with { Strict = strict is not null && LanguagePrimitives.IsTrue(strict) } };
    }

    /// <summary>The parameters of the command's default parameter set (or its only one), common parameters left out.</summary>
    private static List<ToolParameter> Parameters(CommandInfo command, IReadOnlyDictionary<string, string> help)
    {
        IReadOnlyList<CommandParameterSetInfo> sets;
        try
        {
            sets = command.ParameterSets;
        }
        catch (Exception ex) when (ex is RuntimeException or MetadataException)
        {
            throw Invalid($"-Tool '{command.Name}': its parameters cannot be read: {ex.Message}");
        }

        var set = sets.FirstOrDefault(s => s.IsDefault) ?? sets.FirstOrDefault();
        var parameters = new List<ToolParameter>();
        foreach (var parameter in set?.Parameters ?? (IEnumerable<CommandParameterInfo>)[])
        {
            if (Cmdlet.CommonParameters.Contains(parameter.Name) || Cmdlet.OptionalCommonParameters.Contains(parameter.Name))
            {
                continue;
            }

            if (RefusedTypes.Any(refused => refused.IsAssignableFrom(parameter.ParameterType.GetElementType() ?? parameter.ParameterType)))
            {
                if (parameter.IsMandatory)
                {
                    throw Invalid($"-Tool '{command.Name}': its mandatory parameter -{parameter.Name} takes a {parameter.ParameterType.Name}, which a model cannot pass. Wrap the command in a function that supplies it.");
                }

                continue; // why: left out, so the model never sees it
            }

            var text = help.TryGetValue(parameter.Name, out var described) ? described : parameter.HelpMessage;
            parameters.Add(new ToolParameter(parameter.Name, parameter.ParameterType, parameter.IsMandatory, text, parameter.Attributes.ToList()));
        }

        return parameters;
    }

    private static LlmException Invalid(string message) => new(LlmErrorId.InvalidInput, message);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}

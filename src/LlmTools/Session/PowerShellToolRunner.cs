using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using LlmTools.Engine.Models;

namespace LlmTools.Session;

/// <summary>
/// Runs the model's tool calls for the engine, each on the pipeline thread (posted through the dispatcher), in the
/// caller's runspace: ShouldProcess first (so -Confirm asks for each call), then, for a command whose verb may
/// change state, a confirmation unless -AllowStateChange. Output and errors go to the model only; -Verbose names the
/// call, never its output.
/// </summary>
internal sealed class PowerShellToolRunner(PSCmdlet cmdlet, PipelineDispatcher dispatcher, IReadOnlyList<PowerShellTool> tools, bool allowStateChange) : IToolRunner
{
    // why local scope and 2>&1 3>&1 6>&1: the call's variables stay out of the caller's scope; its errors, warnings and
    // host writes (Write-Host is the information stream) come back in its output instead of the caller's streams (the
    // model is told, the user is not)
    private static readonly ScriptBlock Invoker = ScriptBlock.Create("param($__command, $__arguments) & $__command @__arguments 2>&1 3>&1 6>&1");

    private readonly Dictionary<string, PowerShellTool> _byName = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
    private bool _yesToAll;
    private bool _noToAll;

    public Task<ToolCallResult> RunAsync(ToolCall call, CancellationToken cancellationToken) =>
        dispatcher.InvokeAsync(() => Run(call), cancellationToken);

    private ToolCallResult Run(ToolCall call)
    {
        if (!_byName.TryGetValue(call.Name, out var tool))
        {
            return new(ToolCallStatus.Failed, $"Error: there is no tool named '{call.Name}'. The tools are: {string.Join(", ", _byName.Keys)}.");
        }

        Hashtable arguments;
        try
        {
            arguments = Arguments(call.Arguments);
        }
        catch (JsonException ex)
        {
            return new(ToolCallStatus.Failed, $"Error: the arguments are not a JSON object ({ex.Message}).");
        }

        if (arguments.Keys.Cast<string>().FirstOrDefault(name => !tool.Parameters.Contains(name)) is { } unknown)
        {
            return new(ToolCallStatus.Failed, $"Error: '{call.Name}' has no parameter '{unknown}'. Its parameters are: {string.Join(", ", tool.Parameters)}.");
        }

        var shown = Display(Shown(tool), arguments);
        cmdlet.WriteVerbose($"Tool call {call.Id}: {shown}");
        if (!cmdlet.ShouldProcess(shown, "Run tool"))
        {
            return new(ToolCallStatus.Denied, "Not run: the user declined this call.");
        }

        if (tool.ChangesState && !allowStateChange && !Confirmed(shown))
        {
            return new(ToolCallStatus.Denied, $"Not run: {tool.Definition.Name} may change state, and the user did not approve this call.");
        }

        try
        {
            var output = cmdlet.InvokeCommand.InvokeScript(useLocalScope: true, Invoker, input: null, tool.Command, arguments);
            var failed = output.Count > 0 && output.All(o => o.BaseObject is ErrorRecord);
            return new(failed ? ToolCallStatus.Failed : ToolCallStatus.Succeeded, ToolOutput.Format(output, cmdlet));
        }
        catch (ExitException exit)
        {
            return new(ToolCallStatus.Failed, $"Error: the tool called exit ({exit.Argument ?? 0}); the session goes on.");
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            // why any exception: a tool (or the text of its output) that throws is that call's failure, told to the
            // model; the command and its other items go on
            return new(ToolCallStatus.Failed, "Error: " + ex.Message);
        }
    }

    /// <summary>The confirmation a state-changing call needs; no one to ask (a non-interactive host) is a no.</summary>
    private bool Confirmed(string shown)
    {
        try
        {
            return cmdlet.ShouldContinue(
                $"The model asks to run: {shown}", "Run a tool that may change state? (-AllowStateChange approves such calls)", ref _yesToAll, ref _noToAll);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            // why any exception: hosts that cannot ask fail in their own ways (-NonInteractive: PSInvalidOperationException;
            // a console whose stdin is not a terminal: NullReferenceException inside PromptForChoice); each means no one said yes
            cmdlet.WriteWarning($"Did not run {shown}: it may change state, no one can confirm it here, and -AllowStateChange was not given.");
            return false;
        }
    }

    /// <summary>The model's JSON arguments as a splat: nulls left out (strict mode sends null for an unset optional parameter).</summary>
    private static Hashtable Arguments(string json)
    {
        var arguments = new Hashtable(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(json))
        {
            return arguments;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("expected an object");
        }

        foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
        {
            arguments[property.Name] = Value(property.Value);
        }

        return arguments;
    }

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase), (table, p) => { table[p.Name] = Value(p.Value); return table; }),
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // why both names when they differ: a definition named "cleanup" that runs Remove-Item must say so where it is
    // confirmed; a script block runs as an internal function whose name means nothing to anyone
    private static string Shown(PowerShellTool tool) =>
        tool.Command.Name == tool.Definition.Name || tool.Command is FunctionInfo { Name: "__llmtool" }
            ? tool.Definition.Name
            : $"{tool.Definition.Name} ({tool.Command.Name})";

    /// <summary>The call as a command line: Get-Process -Name 'pwsh'.</summary>
    private static string Display(string command, Hashtable arguments) =>
        string.Join(' ', new[] { command }.Concat(arguments.Keys.Cast<string>().Order(StringComparer.OrdinalIgnoreCase).Select(name => $"-{name} {Literal(arguments[name])}")));

    private static string Literal(object? value) => value switch
    {
        bool flag => flag ? "$true" : "$false",
        string text => "'" + text.Replace("'", "''") + "'",
        long or double => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        object[] items => string.Join(",", items.Select(Literal)),
        Hashtable table => "@{" + string.Join("; ", table.Keys.Cast<string>().Select(k => $"{k}={Literal(table[k])}")) + "}",
        _ => "$null",
    };
}

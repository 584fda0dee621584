using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace LlmTools.Completion;

/// <summary>
/// Tab completion of -ToolChoice: auto, none, required, and the tools named on the command line as text
/// (-Tool Get-Process, Get-Service). Never runs anything.
/// </summary>
public sealed class ToolChoiceCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var named = fakeBoundParameters["Tool"] switch
        {
            string one => [one],
            object[] many => many.OfType<string>(),
            _ => Enumerable.Empty<string>(),
        };
        return ModelNameCompleter.Complete(new[] { "auto", "none", "required" }.Concat(named), wordToComplete);
    }
}

using System.Management.Automation;
using LlmTools.Completion;
using LlmTools.Output;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Shows what this PowerShell session's requests cost: tokens and dollars per model, and cache hits.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmUsage", HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmUsage.md")]
[OutputType(typeof(LlmUsage))]
public sealed class GetLlmUsageCommand : LlmCmdletBase
{
    /// <summary>Only these models (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string[]? Model { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var patterns = (Model ?? ["*"]).Select(m => WildcardPattern.Get(m, WildcardOptions.IgnoreCase)).ToList();
        foreach (var row in Sessions.Usage.Totals().Where(row => patterns.Any(p => p.IsMatch(row.Model))))
        {
            WriteObject(LlmUsage.From(row));
        }
    }
}

/// <summary>
/// <para type="synopsis">Resets this session's usage totals and what its budget (TOKEN_BUDGET, COST_BUDGET) has spent.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "LlmUsage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Clear-LlmUsage.md")]
[OutputType(typeof(LlmUsage))]
public sealed class ClearLlmUsageCommand : LlmCmdletBase
{
    /// <summary>Write the totals that were cleared.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!ShouldProcess("this session's usage totals and session budget", "Clear"))
        {
            return;
        }

        var before = Sessions.Usage.Totals();
        Sessions.ClearUsage();
        if (PassThru)
        {
            foreach (var row in before)
            {
                WriteObject(LlmUsage.From(row));
            }
        }
    }
}

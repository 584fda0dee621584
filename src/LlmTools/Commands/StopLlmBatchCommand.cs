using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Output;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Cancels batch jobs on the provider; requests already answered are kept and can be received.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LlmBatch", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Stop-LlmBatch.md")]
[OutputType(typeof(LlmBatchStatus))]
public sealed class StopLlmBatchCommand : LlmBatchCmdletBase
{
    /// <summary>Provider batch ids (batch_...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Writes each batch's status after the cancel request.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var job = ResolveJob();
        Engine.Batches.BatchService? service = null;
        foreach (var id in job?.BatchIds ?? Id)
        {
            if (!ShouldProcess(id, "Cancel batch"))
            {
                continue;
            }

            service ??= OpenBatches(job);
            try
            {
                var state = Pump(service.CancelAsync(id, CancelToken));
                if (PassThru)
                {
                    WriteObject(Status(state));
                }
            }
            catch (LlmException ex) when (ex.ErrorId != LlmErrorId.BatchUnsupported)
            {
                WriteError(LlmErrors.From(ex, id));
            }
            catch (LlmException ex)
            {
                ThrowTerminatingError(LlmErrors.From(ex, null));
            }
        }
    }
}

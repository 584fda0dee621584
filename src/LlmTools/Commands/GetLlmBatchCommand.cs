using System.Management.Automation;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Output;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Gets the status and request counts of batch jobs on the provider.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmBatch", DefaultParameterSetName = ListSet, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Get-LlmBatch.md")]
[OutputType(typeof(LlmBatchStatus))]
public sealed class GetLlmBatchCommand : LlmBatchCmdletBase
{
    private const string ListSet = "List";

    /// <summary>Provider batch ids (batch_...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>How many of the account's newest batches to list (without -Job, -JobFile or -Id).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 100)]
    public int First { get; set; } = 20;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var job = ResolveJob();
        var service = OpenBatches(job);
        try
        {
            if (ParameterSetName == ListSet)
            {
                foreach (var state in Pump(service.ListAsync(First, CancelToken)))
                {
                    WriteObject(Status(state));
                }

                return;
            }

            foreach (var id in job?.BatchIds ?? Id)
            {
                try
                {
                    WriteObject(Status(Pump(service.GetAsync(id, CancelToken))));
                }
                catch (LlmException ex) when (ex.ErrorId != LlmErrorId.BatchUnsupported)
                {
                    WriteError(LlmErrors.From(ex, id));
                }
            }
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, null));
        }
    }
}

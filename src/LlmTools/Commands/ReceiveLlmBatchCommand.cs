using System.Management.Automation;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>
/// <para type="synopsis">Receives a batch job's results as the synchronous path's objects, in input order, and caches them.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "LlmBatch", DefaultParameterSetName = JobSet, HelpUri = "https://github.com/llmtools/LlmTools/blob/main/src/LlmTools/help/Receive-LlmBatch.md")]
[OutputType(typeof(LlmResponse))]
[OutputType(typeof(LlmEmbedding))]
public sealed class ReceiveLlmBatchCommand : LlmBatchCmdletBase
{
    /// <summary>Waits until every batch of the job has finished, showing progress; Ctrl+C stops waiting and leaves the job running.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Seconds between status checks while waiting.</summary>
    [Parameter]
    [ValidateRange(0.01, 3600)]
    public double PollIntervalSec { get; set; } = 30;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var job = ResolveJob()!;
        var service = OpenBatches(job);
        try
        {
            var states = Poll(job, service);
            if (states is null)
            {
                return;
            }

            // why one batch at a time: its inputs are one contiguous range, so only its results are held at once
            foreach (var (batches, inputs) in BatchJsonl.Ranges(job.BatchStarts, job.Count, states.Count))
            {
                var these = states.Take(batches).ToList();
                var lines = new List<BatchLineResult>();
                foreach (var state in these)
                {
                    lines.AddRange(Pump(service.ResultsAsync(state, CancelToken)));
                }

                var ended = these.Where(s => s.Status != "completed").Select(s => $"{s.Id} {s.Status}").ToList();
                var unfinished = ended.Count == 0 ? string.Empty : $" (batch {string.Join(", ", ended)})";
                foreach (var (output, error, input) in BatchResults.Read(job, service, lines, unfinished, inputs))
                {
                    if (error is not null)
                    {
                        WriteError(LlmErrors.From(error, input));
                    }
                    else
                    {
                        WriteObject(output);
                    }
                }
            }

            Pump(service.WhenCacheWritten()); // why: a later synchronous run finds every answer cached
        }
        catch (LlmException ex)
        {
            ThrowTerminatingError(LlmErrors.From(ex, null));
        }
    }

    /// <summary>
    /// The job's batches once all have finished; null when one has not and -Wait is not given (a non-terminating
    /// BatchNotFinished error says how far it is). With -Wait, checks every -PollIntervalSec with progress.
    /// </summary>
    private List<BatchState>? Poll(LlmBatchJob job, BatchService service)
    {
        var progress = new ProgressRecord(1, "Receive-LlmBatch", "Checking") { PercentComplete = 0 };
        while (true)
        {
            var states = job.BatchIds.Select(id => Pump(service.GetAsync(id, CancelToken))).ToList();
            var (total, done) = (states.Sum(s => s.Total), states.Sum(s => s.Completed + s.Failed));
            var status = string.Join(", ", states.Select(s => s.Status).Distinct());
            if (states.All(s => s.IsFinished))
            {
                if (Wait)
                {
                    WriteProgress(new ProgressRecord(1, "Receive-LlmBatch", "Done") { RecordType = ProgressRecordType.Completed });
                }

                return states;
            }

            if (!Wait)
            {
                WriteError(LlmErrors.From(
                    new LlmException(LlmErrorId.BatchNotFinished, $"The job has not finished: {done:N0} of {total:N0} requests done ({status}). Receive it later, or with -Wait; it keeps running on the provider."),
                    Job?.BaseObject ?? job));
                return null;
            }

            progress.StatusDescription = $"{done:N0} of {total:N0} requests done ({status})";
            progress.PercentComplete = total == 0 ? 0 : Math.Min(100, done * 100 / total);
            WriteProgress(progress);
            // why the Ctrl+C token: stopping the wait must be immediate, and it never cancels the job (Stop-LlmBatch does)
            if (CancelToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(PollIntervalSec)))
            {
                throw new PipelineStoppedException();
            }
        }
    }
}

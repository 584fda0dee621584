using System.Management.Automation;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>Send-LlmMessage -AsBatch: the same requests, collected into a batch job instead of sent one by one.</summary>
public sealed partial class SendLlmMessageCommand
{
    private BatchSubmitter? _batch;

    // why the cache on by default: a batch's answers go into the cache so the synchronous run of the same pipeline is free
    private SettingsOverrides BatchOverrides() => Overrides() with { UseCache = NoCache ? false : true };

    /// <summary>Readies -AsBatch; a parameter it cannot serve terminates before any item.</summary>
    private void BeginBatch()
    {
        var refused = new[] { nameof(Stream), nameof(Tool) }.FirstOrDefault(MyInvocation.BoundParameters.ContainsKey);
        if (refused is not null)
        {
            ThrowTerminatingError(LlmErrors.InvalidInput(null, $"-AsBatch cannot be used with -{refused}: a batch answers later, on the provider's fleet, with no stream and no tool calls. Leave out one of them."));
        }

        // why: batch lines are Chat Completions requests; a Responses request (its stored state, previous_response_id)
        // would be sent as another request than the one its answer is cached under
        if (_settings.Api == Engine.Models.ChatApi.Responses)
        {
            ThrowTerminatingError(LlmErrors.InvalidInput(null, "-AsBatch sends Chat Completions requests; it cannot be used with the Responses API (-Api Responses or API=Responses in config.ini). Add -Api ChatCompletions."));
        }

        if (!_isWhatIf)
        {
            _batch = new BatchSubmitter(OpenBatches(_settings), BatchKind.Chat, _settings.Model, null, _responseFormat is not null) { MergeInput = MergeInput };
        }
    }

    /// <summary>Submits the collected requests and writes the job.</summary>
    private void EndBatch()
    {
        if (SubmitBatch(_batch!, BatchLimits.Provider) is { } job)
        {
            WriteVerbose($"Batch job of {job.Count} inputs: {job.Sent} sent in {job.BatchIds.Length} batch(es), {job.Count - job.Sent} answered from the cache.");
        }
    }
}

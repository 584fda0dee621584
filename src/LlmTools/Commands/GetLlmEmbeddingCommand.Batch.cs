using System.Management.Automation;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Errors;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>Get-LlmEmbedding -AsBatch: the same texts, one line each, in a batch job instead of batched requests.</summary>
public sealed partial class GetLlmEmbeddingCommand
{
    private BatchSubmitter? _batchJob;

    private void BeginBatch(LlmSettings settings)
    {
        if (!IsWhatIf)
        {
            _batchJob = new BatchSubmitter(OpenBatches(settings), BatchKind.Embedding, settings.EmbeddingModel, Dimensions, parsesJson: false);
        }
    }

    /// <summary>Adds one text; an empty one fails alone, as without -AsBatch.</summary>
    private void AddToBatch(string? text, object? input)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            WriteError(LlmErrors.From(new LlmException(LlmErrorId.InvalidInput, "The text is empty; there is nothing to embed."), input));
            return;
        }

        _batchJob!.AddText(input, text);
    }

    private void EndBatch()
    {
        if (SubmitBatch(_batchJob!, BatchLimits.ForEmbeddings(Dimensions)) is { } job)
        {
            WriteVerbose($"Batch job of {job.Count} texts: {job.Sent} sent in {job.BatchIds.Length} batch(es), {job.Count - job.Sent} from the cache.");
        }
    }
}

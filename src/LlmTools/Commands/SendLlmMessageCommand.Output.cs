using System.Management.Automation;
using LlmTools.Engine.Chat;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Errors;
using LlmTools.Output;
using LlmTools.Session;

namespace LlmTools.Commands;

/// <summary>What Send-LlmMessage writes: streamed text, responses (or merged rows), and -WhatIf estimates.</summary>
public sealed partial class SendLlmMessageCommand
{
    private void WriteStreamed(object? input, PreparedChat prepared)
    {
        var request = prepared.Request;
        var updates = _service.StreamAsync(prepared, CancelToken, _toolLoop).GetAsyncEnumerator(CancelToken);
        try
        {
            while (WaitPumping(updates.MoveNextAsync().AsTask()))
            {
                if (updates.Current.TextDelta is { } text)
                {
                    WriteInformation(new HostInformationMessage { Message = text, NoNewLine = true }, ["PSHOST"]);
                }
                else if (updates.Current.Completed is { } outcome)
                {
                    WriteInformation(new HostInformationMessage { Message = string.Empty }, ["PSHOST"]);
                    WriteResponse(input, request, outcome, streamed: true);
                }
            }
        }
        catch (LlmException ex)
        {
            if (ex.PartialContent is not null)
            {
                WriteInformation(new HostInformationMessage { Message = string.Empty }, ["PSHOST"]); // why: the error starts on a line of its own, not after the shown text
            }

            WriteError(LlmErrors.From(ex, input));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            WaitPumping(updates.DisposeAsync().AsTask());
        }
    }

    private void WriteResponse(object? input, ChatRequest request, ChatOutcome outcome, bool streamed)
    {
        var result = outcome.Result;
        WriteVerbose(outcome.Cached
            ? $"{result.Model}: answered from the cache."
            : $"{result.Model}: {result.Usage?.TotalTokens.ToString() ?? "?"} tokens in {outcome.Duration.TotalSeconds:0.00} s, finish reason {result.FinishReason ?? "none"}.");
        WriteDebug($"Response {result.Id ?? "(no id)"}: {result.Content.Length} characters; prompt {result.Usage?.PromptTokens.ToString() ?? "?"}, completion {result.Usage?.CompletionTokens.ToString() ?? "?"} tokens; cached {outcome.Cached}.");
        var response = ResponseObjects.From(result, request.Messages, new Reply(_service.ProviderName, input, outcome.Cost, outcome.Cached, ParseData(result.Content), request.Wire)
        {
            Duration = outcome.Duration,
            Streamed = streamed,
        });
        _answered++;
        WriteObject(MergeInput ? MergedRow.From(input, response) : response);
    }

    /// <summary>-WhatIf: what the request would cost, counted offline; nothing is sent or held.</summary>
    private void WriteEstimate(object? input, ChatRequest request)
    {
        // why the batch tier under -AsBatch: the job is billed at the batch price, as its budget check counts it
        var estimate = _service.Estimate(AsBatch ? request with { Delivery = request.Delivery with { ServiceTier = Engine.Batches.BatchService.BatchTier } } : request);
        var row = new LlmCostEstimate
        {
            Index = _whatIf.Count,
            Model = estimate.Model,
            PromptTokens = estimate.PromptTokens,
            CompletionCap = estimate.CompletionCap,
            Cached = estimate.Cached,
            MinCost = estimate.MinCost,
            MaxCost = estimate.MaxCost,
            TooLong = estimate.TooLong,
            Text = request.Messages[^1].Content,
            InputObject = input,
        };
        _whatIf.Add(row);
        WriteObject(row);
    }

    private static string Preview(ChatRequest request)
    {
        var text = request.Messages[^1].Content.ReplaceLineEndings(" ");
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}

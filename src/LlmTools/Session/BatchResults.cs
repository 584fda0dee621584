using System.Management.Automation;
using System.Text.Json;
using LlmTools.Engine.Batches;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Models;
using LlmTools.Output;

namespace LlmTools.Session;

/// <summary>
/// Turns a finished job's result lines into what the synchronous path writes, one per input in input order: an
/// LlmResponse or LlmEmbedding with its input re-attached, usage and cost set (at the batch price), stored in the cache;
/// or an error for the input (a failed line, a line that never came back, a cache entry gone since submit).
/// </summary>
internal static class BatchResults
{
    /// <summary>
    /// One output per input of <paramref name="inputs"/> (the range one batch covers): the object, or the error (with
    /// the input as target).
    /// </summary>
    public static IEnumerable<(object? Output, LlmException? Error, object? Input)> Read(
        LlmBatchJob job, BatchService service, IReadOnlyList<BatchLineResult> lines, string? unfinished, Range inputs)
    {
        // why the answered line wins: a custom_id may appear in both files (a retried request); the answer is what counts
        var byIndex = new Dictionary<int, BatchLineResult>();
        foreach (var line in lines.Where(l => l.Index >= 0 && l.Index < job.Count))
        {
            if (!byIndex.TryGetValue(line.Index, out var seen) || !seen.Succeeded)
            {
                byIndex[line.Index] = line;
            }
        }

        var chat = job.Kind == nameof(BatchKind.Chat);
        var (from, count) = inputs.GetOffsetAndLength(job.Count);
        for (var i = from; i < from + count; i++)
        {
            var input = i < job.InputObjects.Length ? job.InputObjects[i] : null;
            (object? Output, LlmException? Error) result;
            try
            {
                result = job.FromCache[i] ? (FromCache(job, service, i, chat), null)
                    : byIndex.TryGetValue(i, out var line) ? (line.Succeeded ? Answered(job, service, i, line, chat) : null, line.Succeeded ? null : Failed(line))
                    : (null, new LlmException(LlmErrorId.RequestFailed, $"The batch returned no result for this input{unfinished}; send it again."));
            }
            catch (LlmException ex)
            {
                result = (null, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // why any exception: a garbage line (a choice without a message makes the SDK's reader throw
                // NullReferenceException) is that input's error; the inputs after it must still come back
                result = (null, new LlmException(LlmErrorId.InvalidResponse, $"The batch's result for this input cannot be read: {ex.Message}"));
            }

            yield return (result.Output, result.Error, input);
        }
    }

    private static object Answered(LlmBatchJob job, BatchService service, int i, BatchLineResult line, bool chat)
    {
        if (!chat)
        {
            var (vector, tokens) = BatchService.VectorOf(line.Body!);
            var billed = tokens ?? 0;
            var cost = service.CountEmbedding(job.Model, billed);
            service.StoreVector(job.CacheKeys[i], job.Model, job.Texts[i], vector);
            return Embedding(job, i, vector, cached: false, billed, cost);
        }

        var result = BatchService.ChatResultOf(line.Body!, job.Model);
        var messages = Messages(job.Texts[i]);
        service.StoreChat(job.CacheKeys[i], job.Model, Preview(messages), result);
        return Written(job, i, Response(job, service, i, messages, result, cached: false, service.CountChat(job.Model, result)));
    }

    private static object FromCache(LlmBatchJob job, BatchService service, int i, bool chat)
    {
        var gone = new LlmException(LlmErrorId.CacheReplayMiss, "This input's answer was in the cache when the job was submitted, so it was not sent; the entry is gone now. Send it again.");
        service.CountHit(job.Model);

        // why the job's copy second: on another machine (or after Clear-LlmCache) the cache lacks it; the job kept it
        var kept = i < job.CachedAnswers.Length ? job.CachedAnswers[i] : null;
        if (!chat)
        {
            var vector = service.CachedVector(job.CacheKeys[i], job.Model) ?? (kept is null ? null : JsonSerializer.Deserialize<float[]>(kept)) ?? throw gone;
            return Embedding(job, i, vector, cached: true, 0, 0);
        }

        var result = service.CachedChat(job.CacheKeys[i], job.Model) ?? (kept is null ? null : JsonSerializer.Deserialize<ChatResult>(kept)) ?? throw gone;
        return Written(job, i, Response(job, service, i, Messages(job.Texts[i]), result, cached: true, 0));
    }

    // why: -MergeInput's row, as Send-LlmMessage writes it, so Import-Csv | -AsBatch ... | Receive | Export-Csv works
    private static object Written(LlmBatchJob job, int i, LlmResponse response) =>
        job.MergeInput ? MergedRow.From(job.InputObjects[i], response) : response;

    private static LlmException Failed(BatchLineResult line) => new(
        line.StatusCode switch
        {
            400 or 422 => LlmErrorId.BadRequest,
            401 => LlmErrorId.AuthenticationFailed,
            404 => LlmErrorId.ModelNotFound,
            429 => LlmErrorId.RateLimited,
            >= 500 => LlmErrorId.ServerError,
            _ => LlmErrorId.RequestFailed,
        },
        $"The batch failed this input{(line.StatusCode is { } s ? $" ({s})" : string.Empty)}: {line.Error}",
        line.StatusCode);

    private static LlmEmbedding Embedding(LlmBatchJob job, int i, float[] vector, bool cached, int tokens, decimal? cost) => new()
    {
        Text = job.Texts[i],
        Vector = vector,
        Model = job.Model,
        Cached = cached,
        PromptTokens = tokens,
        Cost = cost,
        Index = i,
        InputObject = job.InputObjects[i],
    };

    private static LlmResponse Response(LlmBatchJob job, BatchService service, int i, List<ChatMessage> messages, ChatResult result, bool cached, decimal? cost) =>
        ResponseObjects.From(result, messages, new Reply(service.ProviderName, job.InputObjects[i], cost, cached, job.ParsesJson ? ParseData(result.Content) : null, ChatWire.ChatCompletions));

    private static object? ParseData(string content)
    {
        try
        {
            return JsonConversion.ToPowerShell(content);
        }
        catch (JsonException)
        {
            return null; // why: the synchronous path's rule; Content still holds the text
        }
    }

    private static List<ChatMessage> Messages(string json) => JsonSerializer.Deserialize<List<ChatMessage>>(json) ?? [];

    private static string Preview(List<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == "user")?.Content ?? messages.LastOrDefault()?.Content ?? string.Empty;
}

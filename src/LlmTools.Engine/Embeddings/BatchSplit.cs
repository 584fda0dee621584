using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Embeddings;

/// <summary>
/// When a batch is split instead of retried. Why: one input a server cannot take (too long for llama.cpp's batch, a
/// text a filter refuses) fails the whole request, with 400, 413, 422 or llama.cpp's 500, every time; retrying the batch
/// fails every text after all attempts with the same message. Halving isolates the bad text in about log2(n) more
/// requests. Rate limits, gateways (502-504) and network failures say nothing about the texts, so they are retried whole.
/// </summary>
internal static class BatchSplit
{
    /// <summary>True when the failure may be caused by one of the texts.</summary>
    public static bool IsSplittable(LlmException failure) => failure.Status is 400 or 413 or 422 or 500;

    /// <summary>
    /// One attempt at a batch of <paramref name="count"/> texts: a failure that splitting may fix leaves at once (not
    /// transient), so the batch is halved now rather than after every attempt; a single text keeps its retries.
    /// </summary>
    public static async Task<T> Attempt<T>(int count, Func<Task<T>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (LlmException ex) when (count > 1 && ex.IsTransient && IsSplittable(ex))
        {
            throw new LlmException(ex.ErrorId, ex.Message, ex.Status, ex.InnerException) { RetryAfter = ex.RetryAfter };
        }
    }
}

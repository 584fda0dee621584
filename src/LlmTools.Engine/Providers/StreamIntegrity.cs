using System.Text;
using LlmTools.Engine.Diagnostics;

namespace LlmTools.Engine.Providers;

/// <summary>
/// The rule for streams: only an answer that arrived whole (it carries a finish reason) is a success and may be cached.
/// A stream that stops early, is cut, or carries an error event is a <see cref="LlmErrorId.ResponseIncomplete"/> failure
/// that keeps the text already shown, so nothing the user saw is lost and nothing partial is served again.
/// </summary>
internal static class StreamIntegrity
{
    /// <summary>The failure of a stream that ended cleanly but without saying it was done; <paramref name="errorEvent"/> is what its error event said.</summary>
    public static LlmException NoFinishReason(string endpoint, string? errorEvent = null) => new(
        LlmErrorId.ResponseIncomplete,
        errorEvent is null
            ? $"The answer from {endpoint} stopped before its end: the stream closed without a finish reason (a proxy cut it, or the server sent an error event)."
            : $"The answer from {endpoint} stopped before its end: the server sent an error event. The server said: {ResponseShape.Sentence(errorEvent)}")
    {
        IsTransient = true,
    };

    /// <summary>
    /// <paramref name="failure"/> as it stands when nothing was shown yet (the retry layer may still try again), else an
    /// incomplete answer that names the original cause and keeps the shown text.
    /// </summary>
    public static LlmException Incomplete(LlmException failure, StringBuilder shown)
    {
        if (shown.Length == 0)
        {
            return failure;
        }

        var cause = failure.ErrorId == LlmErrorId.ResponseIncomplete ? failure.Message : $"The answer stopped after {shown.Length} characters: {failure.Message}";
        return new LlmException(
            LlmErrorId.ResponseIncomplete,
            $"{cause} The {shown.Length} characters received are kept in the error's Exception.PartialContent and were not cached.",
            failure.Status,
            failure)
        {
            IsTransient = false, // why: text was shown; a retry would show it twice
            PartialContent = shown.ToString(),
        };
    }
}

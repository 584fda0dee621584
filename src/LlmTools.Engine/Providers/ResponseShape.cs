using System.Text.Json;

namespace LlmTools.Engine.Providers;

/// <summary>
/// What a hostile or misconfigured server's answer looks like to us, in words a user can act on: a 200 that is an HTML
/// page, empty, or JSON of another shape fails inside the SDK's parser, whose own text ("'&lt;' is an invalid start of
/// a value") says nothing about the server.
/// </summary>
internal static class ResponseShape
{
    /// <summary>True for the failures the SDK's parser throws on a body that is not the API's answer.</summary>
    public static bool IsUnreadableAnswer(Exception exception) =>
        exception is JsonException or FormatException or KeyNotFoundException or InvalidOperationException
            or ArgumentOutOfRangeException or IndexOutOfRangeException or NullReferenceException;

    /// <summary>A short description of what was wrong with the body.</summary>
    public static string What(Exception exception) => exception switch
    {
        JsonException { BytePositionInLine: 0, LineNumber: 0 } when exception.Message.Contains("'<'", StringComparison.Ordinal) => "the body is HTML or XML, not JSON",
        JsonException when exception.Message.Contains("does not contain any JSON", StringComparison.Ordinal) => "the body is empty",
        JsonException => "the body is not valid JSON",
        _ => "the JSON lacks what an answer holds",
    };

    /// <summary><paramref name="text"/> trimmed and ending with a full stop, so our advice after it reads as a new sentence.</summary>
    public static string Sentence(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed[^1] is '.' or '!' or '?' or '。' ? trimmed : trimmed + ".";
    }
}

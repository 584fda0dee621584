namespace LlmTools.TestServer;

/// <summary>
/// A scripted misbehaviour for one request. Enqueue with <see cref="LoopbackLlmServer.EnqueueFault"/>;
/// each Chat or Embeddings request takes the first queued fault whose <see cref="Route"/> matches it.
/// </summary>
/// <param name="StatusCode">HTTP status for <see cref="FaultKind.Error"/>; 0 when no error response is sent.</param>
public sealed record Fault(int StatusCode)
{
    public FaultKind Kind { get; init; } = FaultKind.Error;

    /// <summary>The error body's "code" (null is sent as JSON null).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error body's "type"; defaults to server_error for 5xx, invalid_request_error otherwise.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The error body's "message"; a generic one is used when null.</summary>
    public string? Message { get; init; }

    /// <summary>Value of the Retry-After header (seconds), not sent when null.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Value of the retry-after-ms header, not sent when null.</summary>
    public string? RetryAfterMs { get; init; }

    /// <summary>Wait before acting; cut short when the client disconnects or the server is disposed.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The body a <see cref="FaultKind.Raw"/> fault sends, byte for byte.</summary>
    public string Body { get; init; } = string.Empty;

    /// <summary>Content-Type of a <see cref="FaultKind.Raw"/> body.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>More response headers of a <see cref="FaultKind.Raw"/> fault (Location, Retry-After, ...).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Abort the connection after the body instead of ending the response: a stream cut in the middle.</summary>
    public bool CutAfterBody { get; init; }

    /// <summary>Only requests on this route take the fault; null means Chat and Embeddings alike.</summary>
    public LlmRoute? Route { get; init; }

    /// <summary>The same fault, restricted to one route.</summary>
    public Fault For(LlmRoute route) => this with { Route = route };

    /// <summary>429 rate_limit_exceeded, optionally with a Retry-After header.</summary>
    public static Fault RateLimited(int? retryAfterSeconds = null) => new(429)
    {
        ErrorCode = "rate_limit_exceeded",
        ErrorType = "requests",
        Message = "Rate limit reached for requests. Please try again later.",
        RetryAfter = retryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A 5xx server_error.</summary>
    public static Fault ServerError(int status = 500) => new(status)
    {
        ErrorType = "server_error",
        Message = "The server had an error while processing your request. Sorry about that!",
    };

    /// <summary>429 insufficient_quota: not worth retrying.</summary>
    public static Fault QuotaExceeded() => new(429)
    {
        ErrorCode = "insufficient_quota",
        ErrorType = "insufficient_quota",
        Message = "You exceeded your current quota, please check your plan and billing details.",
    };

    /// <summary>Any status with the given message.</summary>
    public static Fault Status(int statusCode, string message) => new(statusCode) { Message = message };

    /// <summary>A normal response, sent after <paramref name="delay"/>.</summary>
    public static Fault Slow(TimeSpan delay) => new(200) { Kind = FaultKind.Slow, Delay = delay };

    /// <summary>How many times a Raw body is written (for huge answers).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Any status with <paramref name="body"/> sent as it is.</summary>
    public static Fault Raw(int statusCode, string body, string contentType = "application/json") =>
        new(statusCode) { Kind = FaultKind.Raw, Body = body, ContentType = contentType };

    /// <summary>A 200 whose body is <paramref name="mebibytes"/> MiB of JSON-looking text, no Content-Length: a server that never stops.</summary>
    public static Fault Huge(int mebibytes) => new(200)
    {
        Kind = FaultKind.Raw,
        Body = "{\"pad\":\"" + new string('x', 1024 * 1024 - 10) + "\",",
        Repeat = mebibytes,
    };

    /// <summary>A 200 server-sent-events stream of <paramref name="events"/> (each a data: payload), then the end or a cut.</summary>
    public static Fault Stream(bool cut, params string[] events) => new(200)
    {
        Kind = FaultKind.Raw,
        ContentType = "text/event-stream",
        Body = string.Concat(events.Select(e => "data: " + e + "\n\n")),
        CutAfterBody = cut,
        Route = LlmRoute.Chat,
    };

    /// <summary>A chat.completion.chunk carrying <paramref name="text"/> and, when given, a finish reason.</summary>
    public static string Chunk(string text, string? finishReason = null) =>
        "{\"id\":\"chatcmpl-raw\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        + System.Text.Json.JsonSerializer.Serialize(text) + "},\"finish_reason\":" + (finishReason is null ? "null" : "\"" + finishReason + "\"") + "}]}";

    /// <summary>The connection is aborted without a response.</summary>
    public static Fault Drop() => new(0) { Kind = FaultKind.Drop };

    /// <summary>No response until the client gives up (or the server is disposed).</summary>
    public static Fault Hang() => new(0) { Kind = FaultKind.Hang };
}

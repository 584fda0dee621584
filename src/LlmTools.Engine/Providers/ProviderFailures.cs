using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using LlmTools.Engine.Configuration;
using LlmTools.Engine.Diagnostics;
using LlmTools.Engine.Pacing;
using LlmTools.Engine.Resilience;

namespace LlmTools.Engine.Providers;

/// <summary>
/// Classifies a failed SDK call once, where it happened: the error id, whether another attempt may succeed, how long
/// the server asked to wait, and a message that says what happened and what to do, with the key redacted. The body of
/// a failed response is parsed here and nowhere else. Transient: 408, 409, 429 (not an exhausted quota), 5xx, network
/// failures and silence. Never: 400, 401, 403, 404 or a quota-exhausted 429.
/// </summary>
/// <param name="endpointDisplay">The endpoint as messages show it (never with credentials).</param>
/// <param name="secret">The key to redact from every message.</param>
internal sealed class ProviderFailures(string endpointDisplay, ApiSecret? secret)
{
    private static readonly TimeSpan MostAsked = TimeSpan.FromDays(1);

    /// <summary>The user-facing exception for <paramref name="exception"/>; <paramref name="target"/> names the model or deployment.</summary>
    public LlmException Classify(Exception exception, string target, SilenceTimer silence)
    {
        var classified = exception switch
        {
            LlmException llm => llm,
            _ when Inner<LlmException>(exception) is { } cap => cap, // why: the size cap throws inside the SDK's read, which may wrap it
            OperationCanceledException when silence.Fired => silence.TimedOut(endpointDisplay, exception),
            ClientResultException { Status: 0 } ex => new LlmException(LlmErrorId.EndpointUnreachable,
                $"Cannot reach {endpointDisplay} ({(ex.InnerException ?? ex).Message.TrimEnd('.')}). Check the endpoint (-Endpoint, OPENAI_BASE_URL, AZURE_OPENAI_ENDPOINT) and your network.", null, ex)
            { IsTransient = true },
            ClientResultException ex => FromResponse(ex, target),
            HttpRequestException or IOException => new LlmException(LlmErrorId.EndpointUnreachable,
                $"Cannot reach {endpointDisplay} ({exception.Message.TrimEnd('.')}).", null, exception)
            { IsTransient = true },
            _ when exception.GetType().FullName is "Azure.Identity.AuthenticationFailedException" or "Azure.Identity.CredentialUnavailableException"
                => new LlmException(LlmErrorId.AuthenticationFailed,
                    $"Microsoft Entra ID sign-in failed: {exception.Message} Sign in (az login, Connect-AzAccount) or set AZURE_OPENAI_API_KEY.", null, exception),
            _ when ResponseShape.IsUnreadableAnswer(exception) => new LlmException(LlmErrorId.InvalidResponse,
                $"{endpointDisplay} answered, but not with an OpenAI-style response ({ResponseShape.What(exception)}). Check the endpoint: it is the API's base URL (for OpenAI-compatible servers usually ending in /v1), not a web page or a proxy's.", null, exception),
            _ => new LlmException(LlmErrorId.RequestFailed, $"Request to {endpointDisplay} failed: {ResponseShape.Sentence(exception.Message)}", null, exception),
        };
        return Redact(classified);
    }

    private static T? Inner<T>(Exception exception)
        where T : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    private LlmException FromResponse(ClientResultException ex, string target)
    {
        var (serverMessage, code, type, counts) = ErrorBody(ex);
        var said = string.IsNullOrWhiteSpace(serverMessage) ? string.Empty : $" The server said: {ResponseShape.Sentence(serverMessage)}";
        var quotaExhausted = code == "insufficient_quota" || type == "insufficient_quota";
        var status = ex.Status;
        var (id, text) = status switch
        {
            400 when code == "context_length_exceeded" || type == "exceed_context_size_error" => (LlmErrorId.ContextLengthExceeded, $"The prompt is too long for '{target}' (400{counts}).{said} Shorten it; Measure-LlmTokens counts it offline."),
            400 when code == "content_filter" => (LlmErrorId.ContentFiltered, $"The request was blocked by the content filter (400).{said}"),
            400 or 422 => (LlmErrorId.BadRequest, $"{endpointDisplay} rejected the request ({status}).{said}"),
            401 => (LlmErrorId.AuthenticationFailed, $"{endpointDisplay} rejected the credentials (401).{said} Check the key in OPENAI_API_KEY / AZURE_OPENAI_API_KEY or -ApiKey."),
            403 => (LlmErrorId.PermissionDenied, $"Access denied by {endpointDisplay} (403).{said}"),
            404 => (LlmErrorId.ModelNotFound, $"'{target}' was not found at {endpointDisplay} (404).{said} Check -Model (for Azure: the deployment name) and the endpoint."),
            408 => (LlmErrorId.RequestTimedOut, $"{endpointDisplay} timed out (408).{said}"),
            429 when quotaExhausted => (LlmErrorId.QuotaExceeded, $"The quota is exhausted (429, not retried).{said}"),
            429 => (LlmErrorId.RateLimited, $"Rate limited by {endpointDisplay} (429).{said}"),
            >= 300 and < 400 => (LlmErrorId.RequestFailed, $"{endpointDisplay} answered {status}, a redirect{Location(ex)}, which is not followed.{said} Set the endpoint to where it points."),
            501 or 505 => (LlmErrorId.ServerError, $"{endpointDisplay} does not support this request ({status}, not retried).{said}"),
            >= 500 => (LlmErrorId.ServerError, $"{endpointDisplay} failed ({status}).{said}"),
            _ => (LlmErrorId.RequestFailed, $"{endpointDisplay} answered {status}.{said}"),
        };
        return new LlmException(id, text, status, ex)
        {
            // why not 501 and 505: the server says it cannot do this at all; another attempt gets the same answer
            IsTransient = status is 408 or 409 || (status >= 500 && status is not (501 or 505)) || (status == 429 && !quotaExhausted),
            // why the body too: OpenAI's 429 says "Please try again in 1.5s" where no header does
            RetryAfter = RetryAfter(ex, DateTimeOffset.UtcNow) ?? (status == 429 ? ProviderDuration.TryAgainIn(serverMessage) : null),
        };
    }

    /// <summary>The endpoint as messages show it.</summary>
    public string EndpointDisplay => endpointDisplay;

    /// <summary><paramref name="exception"/> without the key in its message (for failures made outside <see cref="Classify"/>).</summary>
    public LlmException Redacted(LlmException exception) => Redact(exception);

    /// <summary>A copy without the key in its message; the inner exception is dropped if it shows the key.</summary>
    private LlmException Redact(LlmException exception)
    {
        if (secret is null || (!secret.IsIn(exception.Message) && !secret.IsIn(exception.InnerException?.ToString())))
        {
            return exception;
        }

        var inner = secret.IsIn(exception.InnerException?.ToString()) ? null : exception.InnerException;
        return new LlmException(exception.ErrorId, secret.Redact(exception.Message), exception.Status, inner)
        {
            IsTransient = exception.IsTransient,
            RetryAfter = exception.RetryAfter,
            PartialContent = exception.PartialContent,
        };
    }

    /// <summary>
    /// OpenAI's error JSON: message, code, type, and llama.cpp's token counts (" : 9000 tokens, the context holds 4096")
    /// when it sends them; nothing when the body is not that (proxies answer with HTML).
    /// </summary>
    private static (string? Message, string? Code, string? Type, string Counts) ErrorBody(ClientResultException ex)
    {
        try
        {
            var body = ex.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body))
            {
                return default;
            }

            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var counts = Number(error, "n_prompt_tokens") is { } prompt && Number(error, "n_ctx") is { } context
                ? $": {prompt} prompt tokens, the context holds {context}"
                : string.Empty;
            return (Text(error, "message"), Text(error, "code"), Text(error, "type"), counts);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return default;
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        static long? Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
    }

    /// <summary>" to https://…" for a redirect that names where it points (without credentials or query), else nothing.</summary>
    private static string Location(ClientResultException ex) =>
        ex.GetRawResponse()?.Headers is { } headers && headers.TryGetValue("Location", out var location)
        && Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $" to {new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty }.Uri}"
            : string.Empty;

    /// <summary>retry-after-ms (Azure, OpenAI) wins over retry-after (seconds or an HTTP date).</summary>
    private static TimeSpan? RetryAfter(ClientResultException ex, DateTimeOffset now)
    {
        var headers = ex.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return Bounded(milliseconds / 1000);
        }

        if (headers.TryGetValue("retry-after", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return Bounded(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return null;
    }

    // why: Retry-After: Infinity or 1e300 is a server's way of saying "much later"; TimeSpan cannot hold it, and the
    // retry policy caps every delay at MAX_RETRY_DELAY anyway, so a day stands for "longer than any cap"
    private static TimeSpan Bounded(double seconds) =>
        double.IsFinite(seconds) && seconds < MostAsked.TotalSeconds ? TimeSpan.FromSeconds(seconds) : MostAsked;
}
